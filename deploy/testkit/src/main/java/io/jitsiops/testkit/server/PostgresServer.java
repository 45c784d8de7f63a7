package io.jitsiops.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster from the machine's PostgreSQL binaries (Debian's {@code postgresql}).
 * PostgreSQL refuses to run as root, so as root the cluster belongs to, and runs as, the {@code postgres}
 * user. Unix sockets are off: clients use TCP on loopback.
 */
public final class PostgresServer extends LocalServer {
    public static final String USER = "postgres";
    private final int port;
    private final String database;
    private final boolean durable;
    private final Path bin;
    private String host = "127.0.0.1";
    private String user = USER;
    private String password = "";

    /**
     * @param durable false for throw-away test clusters: fsync off makes them start and write faster
     */
    public PostgresServer(Path dir, int port, String database, boolean durable) {
        super("postgres", dir);
        this.port = port;
        this.database = database;
        this.durable = durable;
        this.bin = findBinaries();
    }

    private PostgresServer(Path dir, String host, int port, String database, String user, String password, Path bin) {
        super("postgres", dir);
        this.port = port;
        this.database = database;
        this.durable = true;
        this.bin = bin;
        this.host = host;
        this.user = user;
        this.password = password;
    }

    /**
     * A PostgreSQL that already runs elsewhere (JITSIOPS_TEST_POSTGRES_URL or a container), named by {@code variable}:
     * nothing is installed, started or stopped; {@link #psql} runs the client as {@code user}. The client binaries are
     * {@code JITSIOPS_PG_BIN}'s, else Debian's postgresql-client ({@code /usr/bin/psql}), else the server's.
     */
    public static PostgresServer existing(String host, int port, String database, String user, String password,
            String variable, Path dir) {
        String configured = System.getenv("JITSIOPS_PG_BIN");
        Path bin = configured != null && !configured.isBlank() ? Paths.get(configured)
                : Files.isExecutable(Paths.get("/usr/bin/psql")) ? Paths.get("/usr/bin") : findBinaries();
        PostgresServer server = new PostgresServer(dir, host, port, database, user, password, bin);
        server.existing(variable);
        return server;
    }

    public String host() {
        return host;
    }

    public String user() {
        return user;
    }

    /** Empty for the test kit's own cluster (it trusts loopback connections). */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String endpoint() {
        return host + ":" + port + "/" + database;
    }

    @Override
    public Path logFile() {
        // The cluster folder belongs to postgres; keep our log beside it, where the launcher can write.
        return dir.resolveSibling(name + ".log");
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    @Override
    protected void prepare() throws IOException {
        Path data = dataDir();
        if (Files.exists(data.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(data);
        if (runningAsRoot()) {
            giveTo(USER, dir);
            giveTo(USER, data);
        }
        Files.setPosixFilePermissions(data, java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        run(asUser(USER, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", USER,
                "-E", "UTF8", "--no-sync")), dir, Duration.ofSeconds(120));
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", dataDir().toString(),
                "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "max_connections=200"));
        if (!durable) {
            cmd.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        return asUser(USER, cmd);
    }

    @Override
    public boolean ready() {
        if (isExisting()) {
            try {
                return Probes.tcpOpen(host, port) && psql(database, "SELECT 1").trim().equals("1");
            } catch (IOException e) {
                return false;
            }
        }
        if (!Probes.tcpOpen(port)) {
            return false;
        }
        try {
            run(List.of(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER),
                    dir, Duration.ofSeconds(10));
            createDatabaseIfMissing();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void createDatabaseIfMissing() throws IOException {
        createDatabaseIfMissing(database);
    }

    /** Creates a database of that name unless it exists. */
    public void createDatabaseIfMissing(String name) throws IOException {
        String exists = psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
        if (!exists.trim().equals("1")) {
            psql("postgres", "CREATE DATABASE \"" + name + "\"");
        }
    }

    /** Runs one SQL statement with psql and returns its unaligned, tuples-only output. */
    public String psql(String db, String sql) throws IOException {
        List<String> command = List.of(bin.resolve("psql").toString(), "-h", host, "-p", String.valueOf(port), "-U", user,
                "-d", db, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql);
        if (password.isEmpty()) {
            return run(command, dir, Duration.ofSeconds(30));
        }
        return run(command, dir, Duration.ofSeconds(30), java.util.Map.of("PGPASSWORD", password));
    }

    /** SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect, as SIGTERM does. */
    @Override
    public void stop(ProcessHandle handle) {
        try {
            run(List.of("kill", "-INT", String.valueOf(handle.pid())), dir.getParent(), Duration.ofSeconds(5));
            handle.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception notStoppedYet) {
            stopTree(handle, Duration.ofSeconds(5));
        }
    }

    /**
     * {@code JITSIOPS_PG_BIN}, else the newest {@code /usr/lib/postgresql/N/bin}, installing Debian's
     * {@code postgresql} first when there is none (as root; otherwise the error names the command).
     */
    public static Path findBinaries() {
        String configured = System.getenv("JITSIOPS_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        DebianPackages.require("postgresql", () -> {
            try {
                newestBinaries();
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        });
        return newestBinaries();
    }

    private static Path newestBinaries() {
        Path base = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                                .replaceAll("\\D", "0"))))
                        .orElseThrow(PostgresServer::missing);
            } catch (IOException e) {
                throw missing();
            }
        }
        throw missing();
    }

    private static IllegalStateException missing() {
        return new IllegalStateException("PostgreSQL server binaries not found under /usr/lib/postgresql: "
                + "apt-get install -y postgresql, or set JITSIOPS_PG_BIN");
    }
}
