package io.jitsiops.backup.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;

import io.jitsiops.backup.archive.FolderExtractor;

/**
 * The local copy: {@code localDir/<backup id>/<object>}. A backup is written into {@code localDir/.staging/<id>}
 * and moved into place in one rename once every object and the manifest are there, so a folder directly under
 * {@code localDir} is always complete.
 */
public final class LocalStore implements BackupStore {
    private static final String STAGING = ".staging";
    private final Path root;

    public LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "local";
    }

    public Path root() {
        return root;
    }

    @Override
    public String location(String backupId) {
        return root.resolve(backupId).toString();
    }

    /** A fresh staging folder for a backup being written. */
    public Path stage(String backupId) throws IOException {
        Path dir = root.resolve(STAGING).resolve(backupId);
        FolderExtractor.deleteTree(dir);
        Files.createDirectories(dir);
        return dir;
    }

    public Path staged(String backupId) {
        return root.resolve(STAGING).resolve(backupId);
    }

    /** Moves a fully written backup into place (one atomic rename on the same file system). */
    public void commit(String backupId) throws IOException {
        Files.move(staged(backupId), root.resolve(backupId), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public InputStream open(String backupId, String object) throws IOException {
        return Files.newInputStream(file(backupId, object));
    }

    @Override
    public long size(String backupId, String object) throws IOException {
        Path f = file(backupId, object);
        return Files.isRegularFile(f) ? Files.size(f) : -1;
    }

    public Path file(String backupId, String object) {
        return root.resolve(backupId).resolve(object);
    }

    @Override
    public void delete(String backupId) throws IOException {
        FolderExtractor.deleteTree(staged(backupId));
        FolderExtractor.deleteTree(root.resolve(backupId));
    }

    @Override
    public Set<String> backupIds() throws IOException {
        Set<String> ids = new HashSet<>();
        for (Path dir : new Path[] { root, root.resolve(STAGING) }) {
            if (Files.isDirectory(dir)) {
                try (var list = Files.list(dir)) {
                    list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                            .map(p -> p.getFileName().toString())
                            .filter(n -> !n.startsWith("."))
                            .forEach(ids::add);
                }
            }
        }
        return ids;
    }
}
