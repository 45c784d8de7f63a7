package io.jitsiops.log.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.log.analysis.Analysis;
import io.jitsiops.log.analysis.CategoryRules;
import io.jitsiops.log.analysis.LogAnalyzer;
import io.jitsiops.log.analysis.MinuteCounts;

/**
 * The service's tables in schema {@code logs}, over JDBC: every caller is a worker thread (the tailer's own,
 * or a {@code @Blocking} endpoint). A tail step's minute counts, error rows and cursor are written in one
 * transaction, so a step is counted exactly once whatever happens around it.
 */
@ApplicationScoped
public class LogStore implements io.jitsiops.log.tail.CursorStore {
    private final DataSource db;
    private final LogAnalyzer analyzer;

    public LogStore(DataSource db, CategoryRules rules) {
        this.db = db;
        this.analyzer = new LogAnalyzer(rules);
    }

    /** A stored error or warning entry. */
    public record StoredError(String component, String file, long position, Instant timestamp, String level,
                              String logger, String message, String category, String severity, String exceptionClass,
                              String stackTrace) {
    }

    @Override
    public Optional<TailCursor> cursor(String path) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT file_key, fingerprint, fingerprint_length, position, "
                     + "kafka_partition, kafka_offset FROM logs.tail_cursor WHERE path = ?")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int partition = rs.getInt(5);
                Integer p = rs.wasNull() ? null : partition;
                long offset = rs.getLong(6);
                Long o = rs.wasNull() ? null : offset;
                return Optional.of(new TailCursor(path, rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), p, o));
            }
        } catch (SQLException e) {
            throw new StoreException("reading the cursor of " + path, e);
        }
    }

    /**
     * Deletes the cursor of a path that is no longer tailed: its file is gone and was read to its end (see
     * {@code TailService.retiredIfGone}). A path that comes back is then read from its start as the new file it is.
     */
    public void forgetCursor(String path) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM logs.tail_cursor WHERE path = ?")) {
            ps.setString(1, path);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("deleting the cursor of " + path, e);
        }
    }

    /** Stores one tail step: its counts, its error rows and the cursor after it, in one transaction. */
    @Override
    public void commitStep(TailCursor cursor, Collection<MinuteCounts> minutes, List<StoredError> errors) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                addMinutes(c, minutes);
                insertErrors(c, cursor.fileKey(), errors);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO logs.tail_cursor (path, file_key, fingerprint, "
                        + "fingerprint_length, position, kafka_partition, kafka_offset, updated_at) VALUES (?,?,?,?,?,?,?,now()) "
                        + "ON CONFLICT (path) DO UPDATE SET file_key = excluded.file_key, fingerprint = excluded.fingerprint, "
                        + "fingerprint_length = excluded.fingerprint_length, position = excluded.position, "
                        + "kafka_partition = COALESCE(excluded.kafka_partition, logs.tail_cursor.kafka_partition), "
                        + "kafka_offset = COALESCE(excluded.kafka_offset, logs.tail_cursor.kafka_offset), updated_at = now()")) {
                    ps.setString(1, cursor.path());
                    ps.setString(2, cursor.fileKey());
                    ps.setString(3, cursor.fingerprint());
                    ps.setInt(4, cursor.fingerprintLength());
                    ps.setLong(5, cursor.position());
                    ps.setObject(6, cursor.kafkaPartition());
                    ps.setObject(7, cursor.kafkaOffset());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("storing the cursor of " + cursor.path(), e);
        }
    }

    private static void addMinutes(Connection c, Collection<MinuteCounts> minutes) throws SQLException {
        if (minutes.isEmpty()) {
            return;
        }
        // One row per component and minute: the driver sends a batch as multi-row INSERTs (reWriteBatchedInserts), and
        // one ON CONFLICT DO UPDATE statement may not touch a row twice; several steps' counts stored together
        // (CursorCommits) arrive as the steps made them and are summed here, the one place.
        if (minutes.size() > 1) {
            Map<String, MinuteCounts> one = new java.util.LinkedHashMap<>();
            for (MinuteCounts mc : minutes) {
                MinuteCounts sum = one.computeIfAbsent(mc.component + "\u0000" + mc.minute, k -> new MinuteCounts(mc.component, mc.minute));
                sum.add(mc);
            }
            minutes = one.values();
        }
        try (PreparedStatement m = c.prepareStatement("INSERT INTO logs.log_minute AS t (component, minute, entries, errors, "
                + "warnings, unparsed, truncated) VALUES (?,?,?,?,?,?,?) ON CONFLICT (component, minute) DO UPDATE SET "
                + "entries = t.entries + excluded.entries, errors = t.errors + excluded.errors, "
                + "warnings = t.warnings + excluded.warnings, unparsed = t.unparsed + excluded.unparsed, "
                + "truncated = t.truncated + excluded.truncated");
             PreparedStatement cat = c.prepareStatement("INSERT INTO logs.log_minute_category AS t (component, minute, category, "
                     + "entries) VALUES (?,?,?,?) ON CONFLICT (component, minute, category) DO UPDATE SET "
                     + "entries = t.entries + excluded.entries")) {
            boolean cats = false;
            for (MinuteCounts mc : minutes) {
                m.setString(1, mc.component);
                m.setTimestamp(2, Timestamp.from(mc.minute));
                m.setLong(3, mc.entries);
                m.setLong(4, mc.errors);
                m.setLong(5, mc.warnings);
                m.setLong(6, mc.unparsed);
                m.setLong(7, mc.truncated);
                m.addBatch();
                for (Map.Entry<String, Long> e : mc.categories.entrySet()) {
                    cat.setString(1, mc.component);
                    cat.setTimestamp(2, Timestamp.from(mc.minute));
                    cat.setString(3, e.getKey());
                    cat.setLong(4, e.getValue());
                    cat.addBatch();
                    cats = true;
                }
            }
            m.executeBatch();
            if (cats) {
                cat.executeBatch();
            }
        }
    }

    private static void insertErrors(Connection c, String fileKey, List<StoredError> errors) throws SQLException {
        if (errors.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO logs.log_error (component, file, position, logged_at, level, "
                + "logger, message, category, severity, exception_class, stack_trace, file_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                + "ON CONFLICT (file, position, logged_at) DO NOTHING")) {
            for (StoredError e : errors) {
                ps.setString(1, e.component());
                ps.setString(2, e.file());
                ps.setLong(3, e.position());
                ps.setTimestamp(4, Timestamp.from(e.timestamp()));
                ps.setString(5, e.level());
                ps.setString(6, e.logger());
                ps.setString(7, e.message());
                ps.setString(8, e.category());
                ps.setString(9, e.severity());
                ps.setString(10, e.exceptionClass());
                ps.setString(11, e.stackTrace());
                ps.setString(12, fileKey);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<StoredError> errors(String component, String category, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT component, file, position, logged_at, level, logger, message, category, "
                + "severity, exception_class, stack_trace FROM logs.log_error WHERE logged_at >= ?");
        if (component != null && !component.isBlank()) {
            sql.append(" AND component = ?");
        }
        if (category != null && !category.isBlank()) {
            sql.append(" AND category = ?");
        }
        sql.append(" ORDER BY logged_at DESC, id DESC LIMIT ?");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setTimestamp(i++, Timestamp.from(since));
            if (component != null && !component.isBlank()) {
                ps.setString(i++, component);
            }
            if (category != null && !category.isBlank()) {
                ps.setString(i++, category);
            }
            ps.setInt(i, limit);
            List<StoredError> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredError(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getTimestamp(4).toInstant(),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), rs.getString(11)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading errors", e);
        }
    }

    /** The analysis of [now - window, now), its trend and its verdict against the window before. */
    public Analysis analysis(Duration window, Instant now) {
        Instant start = now.minus(window);
        Instant previousStart = start.minus(window);
        Map<String, MinuteCounts> current = new HashMap<>();
        long previousErrors = 0;
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT component, minute, entries, errors, warnings, unparsed, truncated "
                    + "FROM logs.log_minute WHERE minute >= ? AND minute < ?")) {
                ps.setTimestamp(1, Timestamp.from(previousStart));
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant minute = rs.getTimestamp(2).toInstant();
                        if (minute.isBefore(start)) {
                            previousErrors += rs.getLong(4);
                            continue;
                        }
                        MinuteCounts m = current.computeIfAbsent(rs.getString(1) + "\u0000" + minute,
                                k -> new MinuteCounts(rs0(rs, 1), minute));
                        m.entries += rs.getLong(3);
                        m.errors += rs.getLong(4);
                        m.warnings += rs.getLong(5);
                        m.unparsed += rs.getLong(6);
                        m.truncated += rs.getLong(7);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT component, minute, category, entries FROM logs.log_minute_category "
                    + "WHERE minute >= ? AND minute < ?")) {
                ps.setTimestamp(1, Timestamp.from(start));
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant minute = rs.getTimestamp(2).toInstant();
                        MinuteCounts m = current.computeIfAbsent(rs.getString(1) + "\u0000" + minute,
                                k -> new MinuteCounts(rs0(rs, 1), minute));
                        m.categories.merge(rs.getString(3), rs.getLong(4), Long::sum);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading the analysis window", e);
        }
        return analyzer.analyze(current.values(), start, now, previousErrors);
    }

    private static String rs0(ResultSet rs, int column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            throw new StoreException("reading a row", e);
        }
    }

    /** A database failure; the tail step that met it is retried, its cursor does not move. */
    public static class StoreException extends RuntimeException {
        public StoreException(String what, Throwable cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
