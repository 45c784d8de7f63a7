package io.jitsiops.backup.restore;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Restores and their steps in {@code backups.restore} and {@code backups.restore_step}. */
@ApplicationScoped
public class RestoreRecords {
    private final Pool pool;

    public RestoreRecords(Pool pool) {
        this.pool = pool;
    }

    public record Step(int seq, String step, String status, String detail, Instant startedAt, Instant endedAt) {
    }

    public record Restore(String id, String backupId, List<String> components, boolean dryRun, String status, String error,
                          Instant startedAt, Instant endedAt, List<Step> steps) {
    }

    public Uni<Void> start(String id, String backupId, List<String> components, boolean dryRun, Instant at) {
        return pool.preparedQuery("""
                        INSERT INTO backups.restore (id, backup_id, components, dry_run, status, started_at)
                        VALUES ($1, $2, $3, $4, 'RUNNING', $5)""")
                .execute(Tuple.of(id, backupId, components.toArray(String[]::new), dryRun, at.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Void> step(String id, Step s) {
        return pool.preparedQuery("""
                        INSERT INTO backups.restore_step (restore_id, seq, step, status, detail, started_at, ended_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.tuple().addString(id).addInteger(s.seq()).addString(s.step()).addString(s.status())
                        .addString(s.detail()).addOffsetDateTime(s.startedAt().atOffset(ZoneOffset.UTC))
                        .addOffsetDateTime(s.endedAt().atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Void> finish(String id, String status, String error, Instant at) {
        return pool.preparedQuery("UPDATE backups.restore SET status = $2, error = $3, ended_at = $4 WHERE id = $1")
                .execute(Tuple.of(id, status, error, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    public Uni<Optional<Restore>> find(String id) {
        return pool.preparedQuery("SELECT * FROM backups.restore WHERE id = $1").execute(Tuple.of(id)).flatMap(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Uni.createFrom().item(Optional.<Restore>empty());
            }
            Row r = it.next();
            return pool.preparedQuery("SELECT * FROM backups.restore_step WHERE restore_id = $1 ORDER BY seq")
                    .execute(Tuple.of(id)).map(steps -> {
                        List<Step> list = new ArrayList<>();
                        for (Row s : steps) {
                            list.add(step(s));
                        }
                        return Optional.of(restore(r, list));
                    });
        });
    }

    /**
     * The newest {@code limit} restores (newest start first, the id breaking ties), each with its steps exactly as
     * {@link #find} answers it; two queries whatever the count, the steps of all of them in one.
     */
    public Uni<List<Restore>> newest(int limit) {
        return pool.preparedQuery("SELECT * FROM backups.restore ORDER BY started_at DESC, id DESC LIMIT $1")
                .execute(Tuple.of(limit)).flatMap(rows -> {
                    List<Row> restores = new ArrayList<>();
                    rows.forEach(restores::add);
                    if (restores.isEmpty()) {
                        return Uni.createFrom().item(List.<Restore>of());
                    }
                    String[] ids = restores.stream().map(r -> r.getString("id")).toArray(String[]::new);
                    return pool.preparedQuery("SELECT * FROM backups.restore_step WHERE restore_id = ANY($1) ORDER BY restore_id, seq")
                            .execute(Tuple.of(ids)).map(steps -> {
                                Map<String, List<Step>> byRestore = new HashMap<>();
                                for (Row s : steps) {
                                    byRestore.computeIfAbsent(s.getString("restore_id"), k -> new ArrayList<>()).add(step(s));
                                }
                                List<Restore> list = new ArrayList<>(restores.size());
                                for (Row r : restores) {
                                    list.add(restore(r, byRestore.getOrDefault(r.getString("id"), List.of())));
                                }
                                return list;
                            });
                });
    }

    private static Step step(Row s) {
        return new Step(s.getInteger("seq"), s.getString("step"), s.getString("status"), s.getString("detail"),
                s.getOffsetDateTime("started_at").toInstant(), s.getOffsetDateTime("ended_at").toInstant());
    }

    private static Restore restore(Row r, List<Step> steps) {
        return new Restore(r.getString("id"), r.getString("backup_id"), List.of(r.getArrayOfStrings("components")),
                r.getBoolean("dry_run"), r.getString("status"), r.getString("error"),
                r.getOffsetDateTime("started_at").toInstant(),
                r.getOffsetDateTime("ended_at") == null ? null : r.getOffsetDateTime("ended_at").toInstant(), steps);
    }
}
