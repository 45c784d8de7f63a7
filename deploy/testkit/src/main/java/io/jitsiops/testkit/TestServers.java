package io.jitsiops.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the test kit gets its servers, from environment variables. By default (none set) it starts local processes
 * on loopback, as always. A team with a cluster points the tests at servers that already exist:
 *
 * <ul>
 * <li>{@code JITSIOPS_TEST_KAFKA_BOOTSTRAP} = {@code host:port[,host:port…]}</li>
 * <li>{@code JITSIOPS_TEST_POSTGRES_URL} = {@code postgresql://user[:password]@host[:port]/database}</li>
 * <li>{@code JITSIOPS_TEST_S3_ENDPOINT} = {@code http(s)://host[:port]} with {@code JITSIOPS_TEST_S3_ACCESS_KEY} and
 * {@code JITSIOPS_TEST_S3_SECRET_KEY} (the bucket {@code jitsi-backups} must exist)</li>
 * <li>{@code JITSIOPS_TEST_SMTP} = {@code host:port}, with {@code JITSIOPS_TEST_IMAP} = {@code host:port} where the
 * sent mail can be read back</li>
 * </ul>
 *
 * Each one replaces only its own server. {@code JITSIOPS_TEST_SERVERS=testcontainers} asks for containers instead of
 * local processes for the servers not named above; it is honoured only when a Docker engine answers
 * ({@link #dockerAnswers}), otherwise the local processes run as before. An invalid value fails at once naming the
 * variable.
 */
public record TestServers(Optional<String> kafkaBootstrap, Optional<Postgres> postgres, Optional<S3> s3,
        Optional<Smtp> smtp, Mode mode) {

    public static final String KAFKA = "JITSIOPS_TEST_KAFKA_BOOTSTRAP";
    public static final String POSTGRES = "JITSIOPS_TEST_POSTGRES_URL";
    public static final String S3_ENDPOINT = "JITSIOPS_TEST_S3_ENDPOINT";
    public static final String S3_ACCESS_KEY = "JITSIOPS_TEST_S3_ACCESS_KEY";
    public static final String S3_SECRET_KEY = "JITSIOPS_TEST_S3_SECRET_KEY";
    public static final String SMTP = "JITSIOPS_TEST_SMTP";
    public static final String IMAP = "JITSIOPS_TEST_IMAP";
    public static final String SERVERS = "JITSIOPS_TEST_SERVERS";

    /** How servers not named by a variable are provided. */
    public enum Mode {
        /** Local processes on loopback (the default). */
        LOCAL,
        /** Containers through Testcontainers, when a Docker engine answers. */
        TESTCONTAINERS
    }

    public record Postgres(String host, int port, String database, String user, String password) {
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }

        /** Never the password: this is printed. */
        @Override
        public String toString() {
            return user + "@" + host + ":" + port + "/" + database;
        }
    }

    public record S3(String endpoint, String accessKey, String secretKey) {
        @Override
        public String toString() {
            return endpoint + " (access key " + accessKey + ")";
        }
    }

    public record Smtp(String host, int smtpPort, String imapHost, int imapPort) {
    }

    public static TestServers fromEnvironment() {
        return from(System.getenv());
    }

    public boolean allLocal() {
        return kafkaBootstrap.isEmpty() && postgres.isEmpty() && s3.isEmpty() && smtp.isEmpty() && mode == Mode.LOCAL;
    }

    /** Parses the variables; a value that does not parse throws naming the variable and the expected form. */
    public static TestServers from(Map<String, String> env) {
        Optional<String> kafka = value(env, KAFKA).map(v -> {
            for (String broker : v.split(",")) {
                hostPort(KAFKA, broker.trim(), -1);
            }
            return v.replace(" ", "");
        });
        Optional<Postgres> postgres = value(env, POSTGRES).map(TestServers::postgres);
        Optional<S3> s3 = value(env, S3_ENDPOINT).map(endpoint -> {
            URI uri = uri(S3_ENDPOINT, endpoint, "http(s)://host[:port]");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw invalid(S3_ENDPOINT, endpoint, "http(s)://host[:port]");
            }
            String access = value(env, S3_ACCESS_KEY).orElseThrow(() -> missing(S3_ACCESS_KEY, S3_ENDPOINT));
            String secret = value(env, S3_SECRET_KEY).orElseThrow(() -> missing(S3_SECRET_KEY, S3_ENDPOINT));
            return new S3(endpoint.replaceAll("/+$", ""), access, secret);
        });
        Optional<Smtp> smtp = value(env, SMTP).map(v -> {
            String[] smtpHostPort = hostPort(SMTP, v, -1);
            String imap = value(env, IMAP).orElseThrow(() -> missing(IMAP, SMTP));
            String[] imapHostPort = hostPort(IMAP, imap, -1);
            return new Smtp(smtpHostPort[0], Integer.parseInt(smtpHostPort[1]), imapHostPort[0],
                    Integer.parseInt(imapHostPort[1]));
        });
        Mode mode = value(env, SERVERS).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "local" -> Mode.LOCAL;
            case "testcontainers" -> Mode.TESTCONTAINERS;
            default -> throw invalid(SERVERS, v, "local or testcontainers");
        }).orElse(Mode.LOCAL);
        return new TestServers(kafka, postgres, s3, smtp, mode);
    }

    /**
     * The mode in effect: Testcontainers only when asked for and a Docker engine answers ({@code DOCKER_HOST}, else
     * {@code /var/run/docker.sock}); otherwise local processes.
     */
    public Mode effectiveMode(Map<String, String> env) {
        return mode == Mode.TESTCONTAINERS && dockerAnswers(env, Duration.ofSeconds(2)) ? Mode.TESTCONTAINERS : Mode.LOCAL;
    }

    /**
     * True when a Docker engine answers {@code GET /_ping} with {@code OK}: on {@code DOCKER_HOST} (unix:// or tcp://)
     * if set, else on the default socket {@code /var/run/docker.sock}. False when nothing is there or it answers
     * anything else; never throws.
     */
    public static boolean dockerAnswers(Map<String, String> env, Duration timeout) {
        String host = env.getOrDefault("DOCKER_HOST", "").trim();
        try {
            if (host.isEmpty() || host.startsWith("unix://")) {
                Path socket = Path.of(host.isEmpty() ? "/var/run/docker.sock" : host.substring("unix://".length()));
                return Files.exists(socket) && ping(socket, timeout);
            }
            if (host.startsWith("tcp://")) {
                URI uri = URI.create(host);
                return ping(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()), timeout);
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean ping(Path socket, Duration timeout) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request()));
            channel.configureBlocking(false);
            ByteBuffer buffer = ByteBuffer.allocate(512);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && buffer.hasRemaining()) {
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    sleep();
                }
            }
            return answeredOk(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
        }
    }

    private static boolean ping(InetSocketAddress address, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write(request());
            byte[] answer = s.getInputStream().readNBytes(512);
            return answeredOk(new String(answer, StandardCharsets.ISO_8859_1));
        }
    }

    private static byte[] request() {
        return "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean answeredOk(String response) {
        return response.startsWith("HTTP/1.") && response.contains(" 200 ") && response.endsWith("OK");
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Postgres postgres(String url) {
        String form = "postgresql://user[:password]@host[:port]/database";
        URI uri = uri(POSTGRES, url, form);
        String userInfo = uri.getRawUserInfo();
        String path = uri.getPath();
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || userInfo == null || path == null
                || path.length() < 2) {
            throw invalid(POSTGRES, url, form);
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        return new Postgres(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path.substring(1), user, password);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String[] hostPort(String variable, String value, int defaultPort) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon <= 0 || colon == value.length() - 1) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new String[] {value.substring(0, colon), String.valueOf(port)};
        } catch (NumberFormatException e) {
            throw invalid(variable, value, "host:port");
        }
    }

    private static URI uri(String variable, String value, String form) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw invalid(variable, value, form);
        }
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static IllegalArgumentException invalid(String variable, String value, String form) {
        // The value may hold a password (the PostgreSQL URL): only its form is named.
        return new IllegalArgumentException(variable + ": expected " + form + ", got a value of another form"
                + (variable.equals(POSTGRES) ? "" : " ('" + value + "')"));
    }

    private static IllegalArgumentException missing(String variable, String because) {
        return new IllegalArgumentException(variable + " must be set when " + because + " is");
    }
}
