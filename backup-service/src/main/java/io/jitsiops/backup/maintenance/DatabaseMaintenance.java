package io.jitsiops.backup.maintenance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.backup.store.BackupStores;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The seed's DatabaseMaintenance for the Jitsi-side databases: the configured cleanup SQL (old rows), then
 * {@code VACUUM (ANALYZE)}, then {@code REINDEX INDEX CONCURRENTLY} of each b-tree index whose bloat, measured by
 * pgstattuple's {@code pgstatindex} (100 - avg_leaf_density), passes the threshold. Bloat is measured, not guessed:
 * where the extension is not installed the report says so and nothing is rebuilt. Each run's report (what was done
 * and how long it took) is stored and answered. Blocking (JDBC): worker threads only.
 */
@ApplicationScoped
public class DatabaseMaintenance {
    private static final Logger LOG = Logger.getLogger(DatabaseMaintenance.class);
    private final BackupPlan plan;
    private final BackupStores stores;
    private final BackupConfig config;
    private final Pool pool;
    private final ObjectMapper json;
    private final Scheduler scheduler;

    public DatabaseMaintenance(BackupPlan plan, BackupStores stores, BackupConfig config, Pool pool, ObjectMapper json,
                               Scheduler scheduler) {
        this.plan = plan;
        this.stores = stores;
        this.config = config;
        this.pool = pool;
        this.json = json;
        this.scheduler = scheduler;
    }

    /** One action on one database. */
    public record Action(String database, String action, boolean ok, long millis, String detail) {
    }

    public record Report(Instant startedAt, Instant endedAt, boolean ok, List<Action> actions) {
    }

    void start(@Observes StartupEvent e) {
        String cron = config.maintenance().cron();
        if (!"off".equalsIgnoreCase(cron) && !plan.databases().names().isEmpty()) {
            scheduler.newJob("database-maintenance").setCron(cron).setTimeZone(plan.zone().getId())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP).setTask(x -> run(), true).schedule();
        }
    }

    public synchronized Report run() {
        Instant started = Instant.now();
        List<Action> actions = new ArrayList<>();
        for (String db : plan.databases().names()) {
            try (Connection c = stores.postgres().connect(db)) {
                c.setAutoCommit(true);
                String cleanup = config.maintenance().cleanup().get(db);
                if (cleanup != null && !cleanup.isBlank()) {
                    actions.add(timed(db, "cleanup", () -> {
                        c.setAutoCommit(false);
                        try (Statement s = c.createStatement()) {
                            boolean result = s.execute(cleanup);
                            int rows = result ? 0 : s.getUpdateCount();
                            c.commit();
                            return rows + " rows removed";
                        } catch (SQLException ex) {
                            c.rollback();
                            throw ex;
                        } finally {
                            c.setAutoCommit(true);
                        }
                    }));
                }
                actions.add(timed(db, "vacuum-analyze", () -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("VACUUM (ANALYZE)");
                    }
                    return "VACUUM (ANALYZE) of the whole database";
                }));
                actions.addAll(reindex(db, c));
            } catch (SQLException ex) {
                actions.add(new Action(db, "connect", false, 0, ex.getMessage()));
            }
        }
        Report report = new Report(started, Instant.now(), actions.stream().allMatch(Action::ok), actions);
        pool.preparedQuery("INSERT INTO backups.maintenance_run (started_at, ended_at, ok, report) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(started.atOffset(ZoneOffset.UTC), report.endedAt().atOffset(ZoneOffset.UTC), report.ok(),
                        new JsonObject(json.convertValue(report, Map.class))))
                .await().atMost(java.time.Duration.ofSeconds(30));
        LOG.infof("Database maintenance: %d actions, %s", actions.size(), report.ok() ? "all done" : "some failed");
        return report;
    }

    private List<Action> reindex(String db, Connection c) {
        List<Action> actions = new ArrayList<>();
        Map<String, double[]> indexes = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'pgstattuple'")) {
                if (!rs.next()) {
                    actions.add(new Action(db, "measure-bloat", true, 0,
                            "not measured: extension pgstattuple is not installed in " + db + " (CREATE EXTENSION pgstattuple); no index rebuilt"));
                    return actions;
                }
            }
            long t0 = System.nanoTime();
            try (ResultSet rs = s.executeQuery("""
                    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_relation_size(c.oid),
                           (pgstatindex(c.oid::regclass)).avg_leaf_density
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_am a ON a.oid = c.relam
                    WHERE a.amname = 'btree' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'""")) {
                while (rs.next()) {
                    indexes.put(rs.getString(1), new double[] { rs.getLong(2), rs.getDouble(3) });
                }
            }
            actions.add(new Action(db, "measure-bloat", true, (System.nanoTime() - t0) / 1_000_000, indexes.size() + " b-tree indexes measured"));
        } catch (SQLException ex) {
            actions.add(new Action(db, "measure-bloat", false, 0, ex.getMessage()));
            return actions;
        }
        for (Map.Entry<String, double[]> e : indexes.entrySet()) {
            double size = e.getValue()[0];
            double density = e.getValue()[1];
            double bloat = Double.isNaN(density) ? 0 : 100 - density;
            if (bloat >= config.maintenance().reindexBloatPercent() && size >= config.maintenance().reindexMinBytes()) {
                String detail = String.format("%s: %.0f%% bloat, %d bytes", e.getKey(), bloat, (long) size);
                actions.add(timed(db, "reindex", () -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("REINDEX INDEX CONCURRENTLY " + e.getKey());
                    }
                    return detail + " → " + size(c, e.getKey()) + " bytes";
                }));
            }
        }
        return actions;
    }

    private static long size(Connection c, String index) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_relation_size('" + index.replace("'", "''") + "'::regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    interface Body {
        String run() throws SQLException;
    }

    private static Action timed(String db, String action, Body body) {
        long t0 = System.nanoTime();
        try {
            String detail = body.run();
            return new Action(db, action, true, (System.nanoTime() - t0) / 1_000_000, detail);
        } catch (SQLException e) {
            return new Action(db, action, false, (System.nanoTime() - t0) / 1_000_000, e.getMessage());
        }
    }

    /** The latest reports, newest first. */
    public Uni<List<Map<String, Object>>> recent(int limit) {
        return pool.preparedQuery("SELECT report FROM backups.maintenance_run ORDER BY started_at DESC LIMIT $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(r.getJsonObject("report").getMap());
                    }
                    return list;
                });
    }
}
