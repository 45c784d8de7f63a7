package io.jitsiops.backup.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The real PostgreSQL tools against the server holding the Jitsi-side databases: {@code pg_dump -Fc} streamed
 * out, {@code pg_restore} streamed in, and exact row counts per table taken in the very snapshot pg_dump dumps
 * (exported with {@code pg_export_snapshot()}), so a verification restore can be compared with the source.
 * All of it blocks: call it on worker threads.
 */
public final class PostgresTools {
    private final Path bin;
    private final String host;
    private final int port;
    private final String user;
    private final Optional<String> password;
    private final Duration timeout;

    public PostgresTools(Path bin, String host, int port, String user, Optional<String> password, Duration timeout) {
        this.bin = bin;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
    }

    /** What a dump saw: exact rows per table (schema.table) in the dumped snapshot, and versions. */
    public record DumpResult(Map<String, Long> rowCounts, String serverVersion) {
    }

    /** {@code bin} from configuration, else the newest Debian PostgreSQL client folder, else the PATH. */
    public static Path findBin(Optional<String> configured) {
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_dump")))
                        .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException | NumberFormatException ignored) {
                // fall through to the PATH
            }
        }
        return Path.of("/usr/bin");
    }

    public String pgDumpVersion() throws IOException {
        return ProcessRunner.output(List.of(tool("pg_dump"), "--version"), Map.of(), Duration.ofSeconds(20));
    }

    /** Streams {@code pg_dump -Fc} of {@code database} into {@code out}. */
    public DumpResult dump(String database, OutputStream out) throws IOException {
        try (Connection c = connect(database)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                String snapshot = single(s, "SELECT pg_export_snapshot()");
                String version = single(s, "SHOW server_version");
                Map<String, Long> counts = rowCounts(c);
                ProcessRunner.run(List.of(tool("pg_dump"), "-Fc", "--snapshot=" + snapshot, "-h", host, "-p",
                        String.valueOf(port), "-U", user, "-d", database, "--no-password"), env(), null, out, timeout);
                c.rollback();
                return new DumpResult(counts, version);
            }
        } catch (SQLException e) {
            throw new IOException("cannot dump database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code database} empty and restores a custom-format dump read from {@code in} into it. */
    public void restoreInto(String database, InputStream in, boolean keepOwners) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(tool("pg_restore"), "-h", host, "-p", String.valueOf(port), "-U", user,
                "-d", database, "--exit-on-error", "--no-password"));
        if (!keepOwners) {
            cmd.add("--no-owner");
            cmd.add("--no-privileges");
        }
        ProcessRunner.run(cmd, env(), in, null, timeout);
    }

    public void createDatabase(String database) throws IOException {
        admin("CREATE DATABASE " + quote(database));
    }

    /** Drops a database, disconnecting whoever is still connected (PostgreSQL 13+). */
    public void dropDatabase(String database) throws IOException {
        admin("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
    }

    public boolean databaseExists(String database) throws IOException {
        try (Connection c = connect("postgres"); var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the database list: " + e.getMessage(), e);
        }
    }

    /** Exact rows per ordinary table of a database. */
    public Map<String, Long> rowCounts(String database) throws IOException {
        try (Connection c = connect(database)) {
            return rowCounts(c);
        } catch (SQLException e) {
            throw new IOException("cannot count rows in " + database + ": " + e.getMessage(), e);
        }
    }

    public Connection connect(String database) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        password.ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    private static Map<String, Long> rowCounts(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
                ORDER BY 1""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private void admin(String sql) throws IOException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IOException(sql + " failed: " + e.getMessage(), e);
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private Map<String, String> env() {
        return password.map(p -> Map.of("PGPASSWORD", p, "PGCONNECT_TIMEOUT", "10")).orElse(Map.of("PGCONNECT_TIMEOUT", "10"));
    }

    private String tool(String name) {
        Path p = bin.resolve(name);
        return Files.isExecutable(p) ? p.toString() : name;
    }
}
