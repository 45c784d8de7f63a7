package io.jitsiops.backup.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an archive of {@link FolderArchiver} back into a folder: contents, whole modes (setuid, setgid and sticky
 * bits included), modification times, symbolic links, {@code user.*} extended attributes, and owners when running as
 * root. Entries that would land outside the folder are refused.
 */
public final class FolderExtractor {
    private FolderExtractor() {
    }

    /** Extracts into {@code target} (created if missing) and answers each regular file's SHA-256 by relative path. */
    public static Map<String, String> extract(InputStream in, Path target, boolean restoreOwners) throws IOException {
        return extract(in, target, restoreOwners, true);
    }

    /**
     * Extracts into {@code target}; with {@code hash} false the answer's values are empty (the files are only counted:
     * a verification's scratch copy, whose archive was authenticated segment by segment already).
     */
    public static Map<String, String> extract(InputStream in, Path target, boolean restoreOwners, boolean hash)
            throws IOException {
        Files.createDirectories(target);
        Path base = target.toAbsolutePath().normalize();
        Map<String, String> digests = new LinkedHashMap<>();
        List<Object[]> folderTimes = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in, 64 * 1024);
        TarArchiveEntry e;
        byte[] buffer = new byte[256 * 1024];
        while ((e = tar.getNextEntry()) != null) {
            String name = e.getName();
            Path p = base.resolve(name).normalize();
            if (!p.startsWith(base)) {
                throw new IOException("archive entry '" + name + "' would be written outside " + base);
            }
            if (e.isDirectory()) {
                Files.createDirectories(p);
                folderTimes.add(new Object[] { p, e });
                continue;
            }
            Files.createDirectories(p.getParent());
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(p);
            }
            if (e.isSymbolicLink()) {
                Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                attributes(p, e, restoreOwners, true);
            } else if (e.isFile()) {
                MessageDigest sha = hash ? sha256() : null;
                try (OutputStream out = Files.newOutputStream(p)) {
                    int n;
                    while ((n = tar.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                        if (sha != null) {
                            sha.update(buffer, 0, n);
                        }
                    }
                }
                digests.put(rel(name), sha == null ? "" : HexFormat.of().formatHex(sha.digest()));
                attributes(p, e, restoreOwners, false);
            }
        }
        // Folders last, deepest first: writing their contents changed their times.
        for (int i = folderTimes.size() - 1; i >= 0; i--) {
            attributes((Path) folderTimes.get(i)[0], (TarArchiveEntry) folderTimes.get(i)[1], restoreOwners, false);
        }
        return digests;
    }

    /** Each regular file's SHA-256 by relative path, read from an archive without writing anything. */
    public static Map<String, String> digests(InputStream in) throws IOException {
        Map<String, String> digests = new LinkedHashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in, 64 * 1024);
        TarArchiveEntry e;
        byte[] buffer = new byte[64 * 1024];
        while ((e = tar.getNextEntry()) != null) {
            if (e.isFile() && !e.isSymbolicLink()) {
                MessageDigest sha = sha256();
                int n;
                while ((n = tar.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
                digests.put(rel(e.getName()), HexFormat.of().formatHex(sha.digest()));
            }
        }
        return digests;
    }

    /** Removes everything inside {@code folder}, keeping the folder itself (and its owner and mode). */
    public static void empty(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var children = Files.list(folder)) {
            for (Path child : children.toList()) {
                deleteTree(child);
            }
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(p)) {
                for (Path child : children.toList()) {
                    deleteTree(child);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** Moves a finished folder into place, atomically when on one file system. */
    public static void moveInto(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String rel(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }

    private static void attributes(Path p, TarArchiveEntry e, boolean restoreOwners, boolean link) throws IOException {
        if (restoreOwners) {
            try {
                Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | UnsupportedOperationException notPermitted) {
                // as non-root the files keep the restoring user: modes and times are still restored
            }
        }
        if (!link) {
            // the whole mode, setuid, setgid and sticky bits included (after the chown above, which clears them);
            // PosixFilePermission has no names for those three bits, the unix view's "mode" takes them all
            Files.setAttribute(p, "unix:mode", e.getMode() & 07777);
            Xattrs.write(p, e);
        }
        FileTime t = FileTime.from(e.getModTime().toInstant());
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, null, null);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
