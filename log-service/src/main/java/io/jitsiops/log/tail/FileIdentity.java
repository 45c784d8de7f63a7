package io.jitsiops.log.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Who a file is: device and inode (stable across a rename, which is how logrotate's default and most
 * rotations move a file), plus a fingerprint of its first bytes, because an inode number is reused as soon
 * as a deleted file's inode is free and a truncated file keeps its inode.
 */
public final class FileIdentity {
    private FileIdentity() {
    }

    /** {@code dev:ino} of the file, or null when there is no such file. */
    public static String key(Path path) throws IOException {
        try {
            Object dev = Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Object ino = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return dev + ":" + ino;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** CRC-32C (hex) of the first {@code length} bytes, or null when the channel holds fewer. */
    public static String fingerprint(FileChannel ch, int length) throws IOException {
        if (length <= 0) {
            return "";
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                return null;
            }
            if (n == 0) {
                break;
            }
            pos += n;
        }
        if (buf.hasRemaining()) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, length);
        return Long.toHexString(crc.getValue());
    }

    /**
     * The fingerprint over as many bytes as the file has now, up to {@code max}: {length, hex}. Reads the bytes
     * rather than asking the size first: the size of a rotated {@code .gz} is only known by decompressing all of it.
     */
    public static Fingerprint current(FileChannel ch, int max) throws IOException {
        byte[] first = head(ch, max);
        return of(first, first.length);
    }

    /**
     * The fingerprint over as many bytes as the file has now (up to {@code max}) if its first {@code known.length()}
     * bytes are still the ones {@code known} was taken over; else {@code known} (the file was truncated and
     * written anew: the truncation check decides what to do).
     */
    public static Fingerprint widen(FileChannel ch, Fingerprint known, int max) throws IOException {
        byte[] first = head(ch, max);
        if (first.length <= known.length()) {
            return known;
        }
        if (known.length() > 0 && !of(first, known.length()).hash().equals(known.hash())) {
            return known;
        }
        return of(first, first.length);
    }

    /** The first bytes of the channel, up to {@code max} (fewer when it holds fewer). */
    public static byte[] head(FileChannel ch, int max) throws IOException {
        if (max <= 0) {
            return new byte[0];
        }
        ByteBuffer buf = ByteBuffer.allocate(max);
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            pos += n;
        }
        return java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    /** The fingerprint of the first {@code length} bytes of {@code head} (as {@link #current} computes it). */
    public static Fingerprint of(byte[] head, int length) {
        if (length == 0) {
            return new Fingerprint(0, "");
        }
        CRC32C crc = new CRC32C();
        crc.update(head, 0, length);
        return new Fingerprint(length, Long.toHexString(crc.getValue()));
    }

    public record Fingerprint(int length, String hash) {
    }
}
