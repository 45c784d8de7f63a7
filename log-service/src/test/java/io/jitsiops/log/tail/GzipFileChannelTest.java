package io.jitsiops.log.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

/**
 * The uncompressed view of a rotated {@code .gz} stays the file it was opened on: logrotate's next run renames
 * {@code jvb.log.2.gz -> jvb.log.3.gz} and puts another generation at {@code jvb.log.2.gz}; a read going back (a
 * failed step returning to its cursor, a fingerprint of the first bytes) or the size must not open the name again.
 */
class GzipFileChannelTest {

    @Test
    void aReadGoingBackAfterTheFileWasRenamedAndItsNameReusedReadsTheFileItOpened() throws IOException {
        Path dir = Files.createTempDirectory("gzip-channel-");
        Path gz = dir.resolve("jvb.log.2.gz");
        String first = text("first", 20_000);
        gzip(gz, first);
        try (FileChannel ch = GzipFileChannel.open(gz)) {
            assertThat(read(ch, 100_000, 1000)).isEqualTo(first.substring(100_000, 101_000)); // forwards, a window further on
            // logrotate's next run: the file is shifted to .3.gz, another generation takes its name
            Files.move(gz, dir.resolve("jvb.log.3.gz"));
            gzip(gz, text("second", 30_000));

            assertThat(read(ch, 0, 4096)).isEqualTo(first.substring(0, 4096)); // backwards: decompressed again
            assertThat(ch.size()).isEqualTo(first.length());
            assertThat(read(ch, first.length() - 50, 50)).isEqualTo(first.substring(first.length() - 50));
        }
    }

    @Test
    void aReadGoingBackAfterTheFileWasDeletedStillReadsIt() throws IOException {
        Path gz = Files.createTempDirectory("gzip-channel-").resolve("jvb.log.4.gz");
        String text = text("only", 5_000);
        gzip(gz, text);
        try (FileChannel ch = GzipFileChannel.open(gz)) {
            read(ch, 200_000, 10);
            Files.delete(gz); // logrotate's rotate count reached
            assertThat(read(ch, 0, 64)).isEqualTo(text.substring(0, 64));
            assertThat(ch.size()).isEqualTo(text.length());
        }
    }

    private static String text(String generation, int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append("JVB 2026-11-29 08:00:00.000 INFO: [1] Test.run#1: ").append(generation).append(" line ").append(i).append('\n');
        }
        return sb.toString();
    }

    private static void gzip(Path p, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n <= 0) {
                break;
            }
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }
}
