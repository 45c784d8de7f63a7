package io.jitsiops.backup.archive;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Base64;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extended attributes of the {@code user.} namespace, archived as libarchive (bsdtar) writes them: a PAX header
 * {@code LIBARCHIVE.xattr.<url-encoded name>} whose value is the base64 of the attribute's bytes (values are binary;
 * a PAX value is text). {@code bsdtar -x} restores them too.
 *
 * <p>Not kept: the {@code security.} (file capabilities, SELinux labels), {@code trusted.} and {@code system.}
 * (POSIX ACLs) namespaces — the JDK reaches only {@code user.} attributes ({@link UserDefinedFileAttributeView}), and
 * the service would need {@code getfattr}/{@code getfacl} process calls per file for the others. A file system
 * without extended attributes simply has none to keep.
 */
public final class Xattrs {
    static final String PAX_PREFIX = "LIBARCHIVE.xattr.";
    private static final String USER = "user.";

    private Xattrs() {
    }

    /** Adds the file's user.* attributes to its entry. */
    static void read(Path p, TarArchiveEntry e) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        if (view == null) {
            return;
        }
        try {
            for (String name : view.list()) {
                ByteBuffer value = ByteBuffer.allocate(view.size(name));
                view.read(name, value);
                value.flip();
                byte[] bytes = new byte[value.remaining()];
                value.get(bytes);
                e.addPaxHeader(PAX_PREFIX + URLEncoder.encode(USER + name, StandardCharsets.UTF_8),
                        Base64.getEncoder().encodeToString(bytes));
            }
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException notSupported) {
            // no extended attributes on this file system (ENOTSUP): nothing to keep
        }
    }

    /** Writes an entry's user.* attributes onto the restored file. */
    static void write(Path p, TarArchiveEntry e) throws IOException {
        Map<String, String> headers = e.getExtraPaxHeaders();
        if (headers.isEmpty()) {
            return;
        }
        UserDefinedFileAttributeView view = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!h.getKey().startsWith(PAX_PREFIX)) {
                continue;
            }
            String name = URLDecoder.decode(h.getKey().substring(PAX_PREFIX.length()), StandardCharsets.UTF_8);
            if (!name.startsWith(USER)) {
                continue; // another tool's security./trusted. attribute: not ours to set
            }
            if (view == null) {
                view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                if (view == null) {
                    throw new IOException(p + ": extended attribute " + name + " cannot be restored on this file system");
                }
            }
            try {
                view.write(name.substring(USER.length()), ByteBuffer.wrap(Base64.getDecoder().decode(h.getValue())));
            } catch (java.nio.file.FileSystemException ex) {
                throw new IOException(p + ": extended attribute " + name + " not restored: " + ex.getReason(), ex);
            }
        }
    }
}
