package io.jitsiops.backup.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jitsiops.backup.archive.FolderArchiver;
import io.jitsiops.backup.archive.FolderExtractor;

class FolderArchiverTest {
    @TempDir
    Path tmp;

    @Test
    void keepsContentsModesTimesAndSymlinksAsLinks() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/sub"));
        Files.writeString(src.resolve("a.conf"), "hello");
        Files.setPosixFilePermissions(src.resolve("a.conf"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(src.resolve("a.conf"), FileTime.from(Instant.parse("2024-05-06T07:08:09Z")));
        Files.createSymbolicLink(src.resolve("link.conf"), Path.of("a.conf"));
        Files.createSymbolicLink(src.resolve("dangling"), Path.of("/nowhere/at/all"));
        Path root = src.getParent();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FolderArchiver.Summary s = FolderArchiver.archive(root, out);
        assertThat(s.files()).isEqualTo(1);
        assertThat(s.links()).isEqualTo(2);
        Path dst = tmp.resolve("dst");
        Map<String, String> digests = FolderExtractor.extract(new ByteArrayInputStream(out.toByteArray()), dst, true);
        assertThat(digests).containsOnlyKeys("sub/a.conf");
        assertThat(Files.readString(dst.resolve("sub/a.conf"))).isEqualTo("hello");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("sub/a.conf")))).isEqualTo("rw-r-----");
        assertThat(Files.getLastModifiedTime(dst.resolve("sub/a.conf")).toInstant()).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
        assertThat(Files.isSymbolicLink(dst.resolve("sub/link.conf"))).isTrue();
        assertThat(Files.readSymbolicLink(dst.resolve("sub/link.conf"))).isEqualTo(Path.of("a.conf"));
        assertThat(Files.readSymbolicLink(dst.resolve("sub/dangling"))).isEqualTo(Path.of("/nowhere/at/all"));
        assertThat(Files.getAttribute(dst.resolve("sub/a.conf"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(Files.getAttribute(src.resolve("a.conf"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void keepsSetuidSetgidAndStickyBitsAndUserExtendedAttributes() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("special/shared"));
        Path tool = Files.writeString(src.getParent().resolve("helper"), "#!/bin/sh\n");
        Path group = Files.writeString(src.getParent().resolve("group-tool"), "#!/bin/sh\n");
        Files.setAttribute(tool, "unix:mode", 04755);
        Files.setAttribute(group, "unix:mode", 02750);
        Files.setAttribute(src, "unix:mode", 01777);
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(tool, UserDefinedFileAttributeView.class);
        boolean xattrsHere = true;
        byte[] binary = { 0, 1, 2, (byte) 0xff, 'x' };
        try {
            xattrs.write("jitsi.role", ByteBuffer.wrap(binary));
        } catch (IOException notSupported) {
            xattrsHere = false; // a file system without user xattrs: the modes are still checked
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FolderArchiver.archive(src.getParent(), out);
        Path dst = tmp.resolve("special-restored");
        FolderExtractor.extract(new ByteArrayInputStream(out.toByteArray()), dst, true);
        assertThat((Integer) Files.getAttribute(dst.resolve("helper"), "unix:mode") & 07777).isEqualTo(04755);
        assertThat((Integer) Files.getAttribute(dst.resolve("group-tool"), "unix:mode") & 07777).isEqualTo(02750);
        assertThat((Integer) Files.getAttribute(dst.resolve("shared"), "unix:mode") & 07777).isEqualTo(01777);
        if (xattrsHere) {
            UserDefinedFileAttributeView restored = Files.getFileAttributeView(dst.resolve("helper"), UserDefinedFileAttributeView.class);
            assertThat(restored.list()).containsExactly("jitsi.role");
            ByteBuffer value = ByteBuffer.allocate(restored.size("jitsi.role"));
            restored.read("jitsi.role", value);
            assertThat(java.util.Arrays.copyOf(value.array(), value.position())).isEqualTo(binary);
        }
    }

    @Test
    void aFileVanishingDuringTheArchiveFailsItNamingTheFile() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("src"));
        Path sub = Files.createDirectories(root.resolve("sub"));
        byte[] big = new byte[300_000];
        for (int i = 0; i < 6; i++) {
            Files.write(sub.resolve("f" + i + ".bin"), big);
        }
        // once content is flowing (the folder listed), every file of it is deleted: the next one read has vanished
        OutputStream deleting = new FilterOutputStream(OutputStream.nullOutputStream()) {
            long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 100_000 && written - len <= 100_000) {
                    try (var files = Files.list(sub)) {
                        for (Path p : files.toList()) {
                            Files.delete(p);
                        }
                    }
                }
            }
        };
        assertThatThrownBy(() -> FolderArchiver.archive(root, deleting))
                .isInstanceOf(FolderArchiver.SourceChangedException.class).hasMessageContaining("vanished");
    }

    @Test
    void refusesAnEntryThatWouldLandOutsideTheTarget() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out)) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("../escape.txt");
            e.setSize(1);
            tar.putArchiveEntry(e);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> FolderExtractor.extract(new ByteArrayInputStream(out.toByteArray()), tmp.resolve("t"), false))
                .hasMessageContaining("outside");
    }
}
