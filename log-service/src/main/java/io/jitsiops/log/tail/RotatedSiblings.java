package io.jitsiops.log.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rotated files of a live path ({@code name.1}, {@code name.2.gz}, {@code name-20261129}…) as one consistent
 * view, and opening one of them as the very file that view saw.
 * <p>
 * Why: logrotate renames one file at a time ({@code name.3 -> name.4}, then {@code name.2 -> name.3}, …). A look
 * that lists the names and then stats or opens them one by one, while such a shift runs, sees a name that
 * meanwhile holds the next generation: the tailer took {@code name.2} for the file after the one it had finished
 * and so skipped a whole generation (kill -9 runs of bench/logs/kill9.sh lost 2,742 and 6,534 lines so). Here a
 * view is a listing with every file's device, inode and modification time read at once, taken again until two
 * in a row agree (no rename ran across them), and a file is only used through {@link #open}, which checks that
 * the name still is that inode once the file is open.
 */
final class RotatedSiblings {
    /** Listings taken at most before the last one is used anyway (a rotation that never ends). */
    private static final int MAX_LISTINGS = 50;

    /** A rotated file as the view saw it. */
    record Sibling(Path path, String key, FileTime modified) {
    }

    private RotatedSiblings() {
    }

    /** The rotated siblings of {@code live}, oldest first (logrotate keeps a file's modification time when it compresses it). */
    static List<Sibling> of(Path live) throws IOException {
        List<Sibling> previous = list(live);
        for (int i = 1; i < MAX_LISTINGS; i++) {
            List<Sibling> now = list(live);
            if (now != null && now.equals(previous)) {
                return now;
            }
            previous = now;
            Thread.onSpinWait();
        }
        return previous == null ? List.of() : previous;
    }

    /**
     * Opens {@code s} for reading, or null when its name no longer is that file (renamed or deleted since the
     * view was taken: take a new view). A {@code .gz} is read uncompressed ({@link GzipFileChannel}).
     */
    static FileChannel open(Sibling s) throws IOException {
        return openAs(s.path(), s.key());
    }

    /** Opens {@code path} if it is the file {@code key} once open; null otherwise. */
    static FileChannel openAs(Path path, String key) throws IOException {
        FileChannel ch;
        try {
            ch = GzipFileChannel.open(path);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (key.equals(FileIdentity.key(path))) {
            return ch; // the name was this inode before and after the open: the channel is that file
        }
        ch.close();
        return null;
    }

    /** The live path opened: the channel and the identity it had before and after the open; null when absent. */
    static Current openCurrent(Path path) throws IOException {
        for (int i = 0; i < MAX_LISTINGS; i++) {
            String before = FileIdentity.key(path);
            if (before == null) {
                return null;
            }
            FileChannel ch = openAs(path, before);
            if (ch != null) {
                return new Current(ch, before);
            }
        }
        throw new IOException(path + " is replaced faster than it can be opened");
    }

    /** An open live file and its {@code dev:ino}. */
    record Current(FileChannel channel, String key) {
    }

    /** One listing, or null when a listed name vanished before its attributes were read (a rename ran). */
    private static List<Sibling> list(Path live) throws IOException {
        Path dir = live.toAbsolutePath().getParent();
        String name = live.getFileName().toString();
        List<Sibling> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name + "[.-]*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(".xz") || n.endsWith(".bz2") || n.endsWith(".zst") || n.endsWith(".lz4") || n.endsWith(".zip")) {
                    continue;
                }
                Map<String, Object> a;
                try {
                    // one stat for inode, device, type and time: read apart, they could belong to two files
                    a = Files.readAttributes(p, "unix:dev,ino,lastModifiedTime,isRegularFile", LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    return null;
                }
                if (!Boolean.TRUE.equals(a.get("isRegularFile"))) {
                    continue;
                }
                out.add(new Sibling(p, a.get("dev") + ":" + a.get("ino"), (FileTime) a.get("lastModifiedTime")));
            }
        }
        out.sort(Comparator.comparing(Sibling::modified)
                .thenComparing(Comparator.comparing((Sibling s) -> s.path().getFileName().toString()).reversed()));
        return out;
    }
}
