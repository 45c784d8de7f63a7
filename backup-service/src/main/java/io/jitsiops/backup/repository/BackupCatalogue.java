package io.jitsiops.backup.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** The backup catalogue in the service's schema {@code backups}. */
@ApplicationScoped
public class BackupCatalogue {
    /** Statuses of backups that exist in full; the default listing. */
    public static final List<String> LISTED = List.of("COMPLETED", "VERIFIED", "VERIFICATION_FAILED");
    private static final String COLUMNS = """
            id, schedule, status, components, local_path, remote_uri, size_bytes, sha256, error, started_at,
            completed_at, key_id, manifest, verification, verified_at, rto_ms, read_checked_at""";
    private final Pool pool;

    public BackupCatalogue(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insertRunning(String id, String schedule, List<String> components, Instant startedAt) {
        return pool.preparedQuery("""
                        INSERT INTO backups.backup (id, schedule, status, components, parts, started_at)
                        VALUES ($1, $2, 'RUNNING', $3, '[]'::jsonb, $4)""")
                .execute(Tuple.of(id, schedule, components.toArray(String[]::new), utc(startedAt))).replaceWithVoid();
    }

    /** The moment a backup becomes visible: every object and the manifest are stored. */
    public Uni<Void> complete(String id, JsonObject manifest, List<String> parts, long sizeBytes, String manifestSha256,
                              String localPath, String remoteUri, String keyId, Instant completedAt) {
        return pool.preparedQuery("""
                        UPDATE backups.backup SET status = 'COMPLETED', manifest = $2, parts = $3, size_bytes = $4, sha256 = $5,
                          local_path = $6, remote_uri = $7, key_id = $8, completed_at = $9, read_checked_at = $9
                        WHERE id = $1 AND status = 'RUNNING'""")
                .execute(Tuple.tuple().addString(id).addJsonObject(manifest).addValue(new io.vertx.core.json.JsonArray(parts))
                        .addLong(sizeBytes).addString(manifestSha256).addString(localPath).addString(remoteUri)
                        .addString(keyId).addOffsetDateTime(utc(completedAt)))
                .invoke(rows -> {
                    if (rows.rowCount() != 1) {
                        throw new IllegalStateException("backup " + id + " is no longer RUNNING in the catalogue (another instance"
                                + " declared it interrupted): not completed");
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Void> fail(String id, String error, boolean cleanupPending) {
        return pool.preparedQuery("""
                        UPDATE backups.backup SET status = 'FAILED', error = $2, cleanup_pending = $3,
                          completed_at = coalesce(completed_at, now())
                        WHERE id = $1""")
                .execute(Tuple.of(id, error, cleanupPending)).replaceWithVoid();
    }

    public Uni<Void> cleanupPending(String id) {
        return pool.preparedQuery("UPDATE backups.backup SET cleanup_pending = true WHERE id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> cleanedUp(String id) {
        return pool.preparedQuery("UPDATE backups.backup SET cleanup_pending = false WHERE id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> verified(String id, boolean ok, JsonObject verification, long rtoMs, Instant at) {
        return pool.preparedQuery("""
                        UPDATE backups.backup SET status = CASE WHEN status IN ('COMPLETED', 'VERIFIED', 'VERIFICATION_FAILED')
                            THEN $2 ELSE status END, verification = $3, verified_at = $4, rto_ms = $5, read_checked_at = $4
                        WHERE id = $1""")
                .execute(Tuple.tuple().addString(id).addString(ok ? "VERIFIED" : "VERIFICATION_FAILED")
                        .addJsonObject(verification).addOffsetDateTime(utc(at)).addLong(rtoMs))
                .replaceWithVoid();
    }

    public Uni<Void> readChecked(String id, Instant at) {
        return pool.preparedQuery("UPDATE backups.backup SET read_checked_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, utc(at))).replaceWithVoid();
    }

    public Uni<Void> pruned(String id, Instant at) {
        return pool.preparedQuery("UPDATE backups.backup SET status = 'PRUNED', pruned_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, utc(at))).replaceWithVoid();
    }

    public Uni<Optional<BackupRecord>> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM backups.backup WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(toRecord(it.next())) : Optional.empty();
                });
    }

    /** Backups newest first; null filters match everything; no status: the listed (complete) ones. */
    public Uni<List<BackupRecord>> list(List<String> statuses, String schedule, String component, Instant since,
                                        Instant until, int limit) {
        List<String> st = statuses == null || statuses.isEmpty() ? LISTED : statuses;
        return pool.preparedQuery("SELECT " + COLUMNS + """
                         FROM backups.backup
                        WHERE status = ANY($1) AND ($2::text IS NULL OR schedule = $2)
                          AND ($3::text IS NULL OR $3 = ANY(components))
                          AND ($4::timestamptz IS NULL OR started_at >= $4) AND ($5::timestamptz IS NULL OR started_at < $5)
                        ORDER BY started_at DESC, id DESC LIMIT $6""")
                .execute(Tuple.tuple().addArrayOfString(st.toArray(String[]::new)).addString(schedule).addString(component)
                        .addOffsetDateTime(since == null ? null : utc(since)).addOffsetDateTime(until == null ? null : utc(until))
                        .addInteger(limit))
                .map(BackupCatalogue::toRecords);
    }

    /** Rows of backups that were being written when the service stopped, or whose clean-up is still owed. */
    public Uni<List<BackupRecord>> unfinished(boolean running) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM backups.backup WHERE ($1 AND status = 'RUNNING') OR cleanup_pending")
                .execute(Tuple.of(running)).map(BackupCatalogue::toRecords);
    }

    /** Every id the catalogue knows (any status), to tell orphans in a store. */
    public Uni<List<BackupRecord>> all() {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM backups.backup")
                .execute().map(BackupCatalogue::toRecords);
    }

    /** The backups whose objects were read back least recently (never-checked first). */
    public Uni<List<BackupRecord>> leastRecentlyReadChecked(Instant olderThan, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + """
                         FROM backups.backup WHERE status IN ('COMPLETED', 'VERIFIED', 'VERIFICATION_FAILED')
                          AND (read_checked_at IS NULL OR read_checked_at < $1)
                        ORDER BY read_checked_at NULLS FIRST LIMIT $2""")
                .execute(Tuple.of(utc(olderThan), limit)).map(BackupCatalogue::toRecords);
    }

    /** The recovery figures of a component's newest verified backup: when it completed, how long its restore took. */
    public record NewestVerified(String component, Instant completedAt, long rtoMs) {
    }

    /**
     * Per component (as its backups' manifests list them) the newest backup whose last verification passed. Only
     * status VERIFIED counts: a backup that failed (re-)verification is VERIFICATION_FAILED, a half-written or
     * interrupted one RUNNING or FAILED (and has no manifest), a pruned one is gone.
     */
    public Uni<List<NewestVerified>> newestVerifiedPerComponent() {
        return pool.query("""
                        SELECT DISTINCT ON (c.component) c.component, b.completed_at, b.rto_ms
                          FROM backups.backup b CROSS JOIN LATERAL jsonb_array_elements_text(b.manifest -> 'components') AS c(component)
                         WHERE b.status = 'VERIFIED' AND b.completed_at IS NOT NULL AND b.rto_ms IS NOT NULL
                         ORDER BY c.component, b.completed_at DESC""")
                .execute().map(rows -> {
                    List<NewestVerified> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new NewestVerified(r.getString("component"), instant(r.getOffsetDateTime("completed_at")),
                                r.getLong("rto_ms")));
                    }
                    return list;
                });
    }

    private static List<BackupRecord> toRecords(RowSet<Row> rows) {
        List<BackupRecord> list = new ArrayList<>();
        for (Row r : rows) {
            list.add(toRecord(r));
        }
        return list;
    }

    private static BackupRecord toRecord(Row r) {
        JsonObject manifest = r.getJsonObject("manifest");
        JsonObject verification = r.getJsonObject("verification");
        String[] components = r.getArrayOfStrings("components");
        return new BackupRecord(r.getString("id"), r.getString("schedule"), r.getString("status"),
                components == null ? List.of() : List.of(components), r.getString("local_path"), r.getString("remote_uri"),
                r.getLong("size_bytes"), r.getString("sha256"), r.getString("error"), instant(r.getOffsetDateTime("started_at")),
                instant(r.getOffsetDateTime("completed_at")), r.getString("key_id"),
                manifest == null ? null : manifest.getMap(), verification == null ? null : verification.getMap(),
                instant(r.getOffsetDateTime("verified_at")), r.getLong("rto_ms"), instant(r.getOffsetDateTime("read_checked_at")));
    }

    static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
