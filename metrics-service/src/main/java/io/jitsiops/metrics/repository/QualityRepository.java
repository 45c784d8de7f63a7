package io.jitsiops.metrics.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.metrics.quality.ConferenceQuality;
import io.jitsiops.metrics.quality.VideoSample;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Stream and conference quality in {@code metrics.video_sample} and {@code metrics.conference_quality}. */
@ApplicationScoped
public class QualityRepository {
    private final Pool pool;

    public QualityRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * One statement of column arrays per batch (see SeriesRepository). A plain {@code INSERT} first: with
     * {@code ON CONFLICT DO NOTHING} PostgreSQL inserts speculatively (an index probe, the heap tuple, then the index
     * entry and a confirmation), which measured about 8 µs of server CPU per row against 5 µs plain on this machine. A
     * batch that does repeat a stored sample (a client's resend, a retry after a lost answer) fails whole with a
     * unique violation and is then inserted again skipping the repeated rows.
     */
    public Uni<Void> insertStreams(List<VideoSample> samples) {
        Tuple columns = streamColumns(samples);
        return pool.preparedQuery(INSERT_STREAMS).execute(columns).replaceWithVoid()
                .onFailure(QualityRepository::isUniqueViolation)
                .recoverWithUni(() -> pool.preparedQuery(INSERT_STREAMS + " ON CONFLICT DO NOTHING").execute(columns).replaceWithVoid());
    }

    private static final String INSERT_STREAMS = """
            INSERT INTO metrics.video_sample (room, participant, direction, source, sampled_at, bridge, bitrate_kbps,
              frames_per_second, frame_width, frame_height, packet_loss_percent, jitter_ms, rtt_ms)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[],
              $7::float8[], $8::float8[], $9::int4[], $10::int4[], $11::float8[], $12::float8[], $13::float8[])""";

    static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private static Tuple streamColumns(List<VideoSample> samples) {
        int n = samples.size();
        String[] room = new String[n];
        String[] participant = new String[n];
        String[] direction = new String[n];
        String[] source = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] bridge = new String[n];
        Double[] bitrate = new Double[n];
        Double[] fps = new Double[n];
        Integer[] width = new Integer[n];
        Integer[] height = new Integer[n];
        Double[] loss = new Double[n];
        Double[] jitter = new Double[n];
        Double[] rtt = new Double[n];
        Instant lastInstant = null;
        OffsetDateTime lastAt = null;
        for (int i = 0; i < n; i++) {
            VideoSample s = samples.get(i);
            room[i] = s.room();
            participant[i] = s.participant();
            direction[i] = s.direction();
            source[i] = s.source();
            if (!s.sampledAt().equals(lastInstant)) { // a posted batch mostly shares one time: one conversion per run of it
                lastInstant = s.sampledAt();
                lastAt = lastInstant.atOffset(ZoneOffset.UTC);
            }
            at[i] = lastAt;
            bridge[i] = s.bridge();
            bitrate[i] = s.bitrateKbps();
            fps[i] = Double.isNaN(s.framesPerSecond()) ? null : s.framesPerSecond();
            width[i] = s.frameWidth() > 0 ? s.frameWidth() : null;
            height[i] = s.frameHeight() > 0 ? s.frameHeight() : null;
            loss[i] = Double.isNaN(s.packetLossPercent()) ? null : s.packetLossPercent();
            jitter[i] = Double.isNaN(s.jitterMs()) ? null : s.jitterMs();
            rtt[i] = Double.isNaN(s.rttMs()) ? null : s.rttMs();
        }
        return Tuple.tuple().addArrayOfString(room).addArrayOfString(participant).addArrayOfString(direction)
                .addArrayOfString(source).addArrayOfOffsetDateTime(at).addArrayOfString(bridge).addArrayOfDouble(bitrate)
                .addArrayOfDouble(fps).addArrayOfInteger(width).addArrayOfInteger(height).addArrayOfDouble(loss)
                .addArrayOfDouble(jitter).addArrayOfDouble(rtt);
    }

    public Uni<Void> insertConferences(List<ConferenceQuality> list) {
        List<Tuple> rows = new ArrayList<>(list.size());
        for (ConferenceQuality q : list) {
            rows.add(Tuple.tuple().addString(q.conferenceId()).addString(q.bridge()).addString(q.source())
                    .addOffsetDateTime(q.sampledAt().atOffset(ZoneOffset.UTC)).addString(q.room()).addInteger(q.participants())
                    .addDouble(Double.isNaN(q.bitrateKbps()) ? null : q.bitrateKbps())
                    .addDouble(Double.isNaN(q.framesPerSecond()) ? null : q.framesPerSecond()).addInteger(q.frameWidth()).addInteger(q.frameHeight())
                    .addDouble(Double.isNaN(q.packetLossPercent()) ? null : q.packetLossPercent())
                    .addDouble(Double.isNaN(q.jitterMs()) ? null : q.jitterMs())
                    .addDouble(Double.isNaN(q.rttMs()) ? null : q.rttMs())
                    .addInteger(q.streams()).addBoolean(q.degraded()).addArrayOfString(q.reasons().toArray(new String[0])));
        }
        return pool.preparedQuery("""
                        INSERT INTO metrics.conference_quality (conference_id, bridge, source, sampled_at, room_name, participants,
                          bitrate_kbps, frames_per_second, frame_width, frame_height, packet_loss_percent, jitter_ms, rtt_ms,
                          streams, degraded, reasons)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT DO NOTHING""")
                .executeBatch(rows).replaceWithVoid();
    }

    /** A room's conference samples in [from, to), oldest first (at most 10000). */
    public Uni<List<ConferenceQuality>> byRoom(String room, Instant from, Instant to) {
        return pool.preparedQuery("""
                        SELECT * FROM metrics.conference_quality WHERE room_name = $1 AND sampled_at >= $2 AND sampled_at < $3
                        ORDER BY sampled_at LIMIT 10000""")
                .execute(Tuple.of(room, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<ConferenceQuality> out = new ArrayList<>();
                    rows.forEach(r -> out.add(toQuality(r)));
                    return out;
                });
    }

    /** Per quality figure: min, avg, p50, p95, max, n of conference samples with measured streams in [from, to). */
    public Uni<Map<String, double[]>> statistics(Instant from, Instant to) {
        StringBuilder sql = new StringBuilder("SELECT ");
        String[] cols = { "bitrate_kbps", "frames_per_second", "packet_loss_percent", "jitter_ms", "rtt_ms", "participants" };
        for (String c : cols) {
            sql.append("min(").append(c).append("), avg(").append(c).append("), percentile_cont(0.5) WITHIN GROUP (ORDER BY ")
                    .append(c).append("), percentile_cont(0.95) WITHIN GROUP (ORDER BY ").append(c).append("), max(").append(c)
                    .append("), count(").append(c).append("), ");
        }
        sql.append("1 FROM metrics.conference_quality WHERE streams > 0 AND sampled_at >= $1 AND sampled_at < $2");
        return pool.preparedQuery(sql.toString()).execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, double[]> out = new LinkedHashMap<>();
                    Row r = rows.iterator().next();
                    for (int i = 0; i < cols.length; i++) {
                        long n = r.getLong(i * 6 + 5);
                        if (n > 0) {
                            double[] v = new double[6];
                            for (int k = 0; k < 5; k++) {
                                Object o = r.getValue(i * 6 + k);
                                v[k] = o == null ? Double.NaN : ((Number) o).doubleValue();
                            }
                            v[5] = n;
                            out.put(cols[i], v);
                        }
                    }
                    return out;
                });
    }

    public record Worst(String conferenceId, String room, String bridge, double value, long samples) {
    }

    /**
     * The {@code limit} conferences with the highest (or lowest) mean of {@code column} in [from, to), over the samples
     * that have the figure (loss is NULL where no stream had packets, bitrate where no stream sent video, jitter where
     * no stream had a figure; PostgreSQL would sort such a conference's NULL mean first in descending order).
     */
    public Uni<List<Worst>> worst(String column, boolean highest, int limit, Instant from, Instant to) {
        if (!List.of("packet_loss_percent", "jitter_ms", "bitrate_kbps").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        return pool.preparedQuery("SELECT conference_id, room_name, bridge, avg(" + column + ") AS v, count(*) AS n "
                        + "FROM metrics.conference_quality WHERE streams > 0 AND " + column + " IS NOT NULL "
                        + "AND sampled_at >= $1 AND sampled_at < $2 "
                        + "GROUP BY conference_id, room_name, bridge ORDER BY v " + (highest ? "DESC" : "ASC") + " LIMIT $3")
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<Worst> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Worst(r.getString("conference_id"), r.getString("room_name"), r.getString("bridge"),
                            r.getDouble("v"), r.getLong("n"))));
                    return out;
                });
    }

    public Uni<Integer> deleteOlderThan(Instant cutoff) {
        OffsetDateTime c = cutoff.atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("DELETE FROM metrics.video_sample WHERE sampled_at < $1").execute(Tuple.of(c)).map(r -> r.rowCount())
                .flatMap(a -> pool.preparedQuery("DELETE FROM metrics.conference_quality WHERE sampled_at < $1").execute(Tuple.of(c))
                        .map(r -> a + r.rowCount()));
    }

    private static ConferenceQuality toQuality(Row r) {
        Double rtt = r.getDouble("rtt_ms");
        Double loss = r.getDouble("packet_loss_percent");
        Double bitrate = r.getDouble("bitrate_kbps");
        Double jitter = r.getDouble("jitter_ms");
        Double fps = r.getDouble("frames_per_second");
        String[] reasons = r.getArrayOfStrings("reasons");
        return new ConferenceQuality(r.getString("conference_id"), r.getString("room_name"), r.getString("bridge"), r.getString("source"),
                r.getInteger("participants"), bitrate == null ? Double.NaN : bitrate, fps == null ? Double.NaN : fps, r.getInteger("frame_width"),
                r.getInteger("frame_height"), loss == null ? Double.NaN : loss, jitter == null ? Double.NaN : jitter, rtt == null ? Double.NaN : rtt,
                r.getOffsetDateTime("sampled_at").toInstant(), r.getBoolean("degraded"), reasons == null ? List.of() : List.of(reasons),
                r.getInteger("streams"));
    }
}
