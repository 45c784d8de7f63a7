package io.jitsiops.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.jitsiops.testkit.server.ProjectLayout;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real TLS targets: a private CA (which the health-service is told to trust) signs one certificate that
 * expires in 5 days and one that expired 10 days ago, each served by an HTTPS server; plus a plain HTTP
 * server whose only page redirects to itself. Certificates are made with the JDK's keytool.
 */
public class TlsAndBrokenTargetsResource implements QuarkusTestResourceLifecycleManager {
    static final String PASSWORD = "changeit";
    private final List<HttpServer> servers = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("jitsi-ops-tls-");
            keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=jitsi-ops test CA",
                    "-ext", "bc:c", "-validity", "60", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
            keytool(dir, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-rfc", "-file", "ca.crt");
            keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12",
                    "-storetype", "PKCS12", "-storepass", PASSWORD);
            String soon = https(dir, "soon", "-validity", "5");
            String expired = https(dir, "expired", "-startdate", "-20d", "-validity", "10");
            HttpServer loop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            loop.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Location", "/again");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            loop.start();
            servers.add(loop);
            // The password as a secret file (secrets are never read from configuration keys).
            io.jitsiops.testkit.server.DeploymentFiles.writeSecret(io.jitsiops.testkit.LocalServers.secretsDir(),
                    "TEST_TRUST_STORE_PASSWORD", PASSWORD);
            return Map.of("jitsiops.health.tls.trust-store", dir.resolve("trust.p12").toString(),
                    "jitsiops.health.tls.trust-store-password-env", "TEST_TRUST_STORE_PASSWORD",
                    "test.tls.soon.url", soon,
                    "test.tls.expired.url", expired,
                    "test.redirect-loop.url", "http://127.0.0.1:" + loop.getAddress().getPort() + "/");
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up TLS targets: " + e.getMessage(), e);
        }
    }

    /** A server certificate signed by the test CA, served over HTTPS on loopback; returns its URL. */
    private String https(Path dir, String name, String... validity) throws Exception {
        String store = name + ".p12";
        keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-keystore", store, "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool(dir, "-certreq", "-alias", "server", "-keystore", store, "-storepass", PASSWORD, "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD,
                "-infile", name + ".csr", "-outfile", name + ".crt", "-rfc", "-ext", "SAN=dns:localhost,ip:127.0.0.1"));
        gencert.addAll(List.of(validity));
        keytool(dir, gencert.toArray(String[]::new));
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", store, "-storepass", PASSWORD);
        keytool(dir, "-importcert", "-noprompt", "-alias", "server", "-file", name + ".crt", "-keystore", store,
                "-storepass", PASSWORD);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(store))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        return "https://localhost:" + server.getAddress().getPort() + "/";
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProjectLayout.javaBinary().getParent().resolve("keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    @Override
    public void stop() {
        servers.forEach(s -> s.stop(0));
    }
}
