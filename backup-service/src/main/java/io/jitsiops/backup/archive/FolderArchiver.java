package io.jitsiops.backup.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a folder as a POSIX (PAX) tar: regular files, folders and symbolic links with their owner and group
 * (ids and names), whole mode (setuid, setgid, sticky), modification time and {@code user.*} extended attributes
 * (see {@link Xattrs} for what is not kept); long names and big numbers in PAX headers. Symbolic links are
 * stored as links, never followed. Sockets, FIFOs and devices are skipped and reported.
 */
public final class FolderArchiver {
    private FolderArchiver() {
    }

    /** What went into an archive. */
    public record Summary(long files, long folders, long links, long contentBytes, List<String> skipped) {
    }

    /**
     * A file that disappeared or shrank between listing and reading: the archive would not be a consistent copy,
     * so the backup fails with this reason instead of storing a silently different tree.
     */
    public static final class SourceChangedException extends IOException {
        public SourceChangedException(String message) {
            super(message);
        }
    }

    public static Summary archive(Path root, OutputStream out) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(root.toString(), null, "the folder to back up does not exist");
        }
        long[] counts = new long[4];
        List<String> skipped = new ArrayList<>();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 64 * 1024);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        byte[] buffer = new byte[64 * 1024];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.equals(root) ? "./" : "./" + root.relativize(dir) + "/";
                TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
                describe(e, dir);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                counts[1]++;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = "./" + root.relativize(file);
                if (attrs.isSymbolicLink()) {
                    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
                    e.setLinkName(Files.readSymbolicLink(file).toString());
                    describe(e, file);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                    counts[2]++;
                } else if (attrs.isRegularFile()) {
                    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
                    describe(e, file);
                    long size = attrs.size();
                    e.setSize(size);
                    try (InputStream in = Files.newInputStream(file)) {
                        tar.putArchiveEntry(e);
                        long left = size;
                        while (left > 0) {
                            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                            if (n < 0) {
                                throw new SourceChangedException(file + " shrank while it was being archived");
                            }
                            tar.write(buffer, 0, n);
                            left -= n;
                        }
                        tar.closeArchiveEntry();
                    } catch (NoSuchFileException gone) {
                        throw new SourceChangedException(file + " vanished while the folder was being archived");
                    }
                    counts[0]++;
                    counts[3] += size;
                } else {
                    skipped.add(name + " (not a file, folder or link)");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    throw new SourceChangedException(file + " vanished while the folder was being archived");
                }
                throw e;
            }
        });
        tar.finish();
        return new Summary(counts[0], counts[1], counts[2], counts[3], List.copyOf(skipped));
    }

    private static void describe(TarArchiveEntry e, Path p) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:mode,uid,gid,owner,group,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            throw new SourceChangedException(p + " vanished while the folder was being archived");
        }
        e.setMode((Integer) a.get("mode") & 07777 | modeType(e));
        e.setUserId(((Number) a.get("uid")).longValue());
        e.setGroupId(((Number) a.get("gid")).longValue());
        e.setUserName(a.get("owner").toString());
        e.setGroupName(a.get("group").toString());
        e.setModTime((FileTime) a.get("lastModifiedTime"));
        if (!e.isSymbolicLink()) {
            Xattrs.read(p, e);
        }
    }

    private static int modeType(TarArchiveEntry e) {
        if (e.isSymbolicLink()) {
            return 0120000;
        }
        return e.isDirectory() ? 040000 : 0100000;
    }
}
