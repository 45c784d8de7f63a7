package io.jitsiops.backup.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.jitsiops.backup.archive.ReadAhead;

class ReadAheadTest {

    @Test
    void handsOverEveryByteInOrderAcrossChunkBoundaries() throws IOException {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(11).nextBytes(data);
        try (InputStream in = new ReadAhead(new ByteArrayInputStream(data), 64 * 1024, 3)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFailureOfTheSourceReachesTheReaderAfterTheBytesBeforeIt() throws IOException {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[100]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("segment 7 does not authenticate");
            }
        });
        try (InputStream in = new ReadAhead(failing, 1024, 2)) {
            assertThat(in.readNBytes(100)).hasSize(100);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("segment 7 does not authenticate");
        }
    }
}
