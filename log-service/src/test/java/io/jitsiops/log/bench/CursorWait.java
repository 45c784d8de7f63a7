package io.jitsiops.log.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * bench/logs: waits until the log-service's stored cursor of PATH reaches END (every entry before it acknowledged by
 * Kafka and committed) and prints {@code REACHED <epoch ms>}, or {@code TIMEOUT <position>}. One JVM started before the
 * measured run, one connection, a look every 50 ms, as {@link OffsetWait} watches rsyslog's topic: the end is seen
 * within 50 ms, and the driver costs both sides alike (until stop 20 a psql process was started per look, up to 20 a
 * second: a process and a PostgreSQL backend each, on the 2 cores the service shares).
 * With NEXT (stop 22, third round), it goes on after END until the cursor reaches NEXT and prints {@code NEXT <epoch ms>}
 * (or {@code NEXT_TIMEOUT <position>}) too: the bench appends one line beyond the measured ones, the first line of a
 * next entry, so that the measured last entry is complete when it is read; the line beyond is held for the
 * multi-line flush (its continuation lines could still come) and its arrival is that flush's latency, printed apart.
 * Usage: CursorWait JDBC_URL USER PATH END TIMEOUT_SECONDS [NEXT]
 */
public final class CursorWait {
    private CursorWait() {
    }

    public static void main(String[] args) throws SQLException, InterruptedException {
        long end = Long.parseLong(args[3]);
        long next = args.length > 5 ? Long.parseLong(args[5]) : -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        long position = 0;
        try (Connection c = DriverManager.getConnection(args[0], args[1], "");
             PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(position), 0) FROM logs.tail_cursor WHERE path = ?")) {
            ps.setString(1, args[2]);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    position = rs.getLong(1);
                }
                if (end >= 0 && position >= end) {
                    System.out.println("REACHED " + System.currentTimeMillis());
                    System.out.flush(); // read by the driver as it comes: its clock stops here
                    if (next < 0) {
                        return;
                    }
                    end = -1;
                }
                if (end < 0 && position >= next) {
                    System.out.println("NEXT " + System.currentTimeMillis());
                    return;
                }
                Thread.sleep(50);
            }
        }
        System.out.println((end < 0 ? "NEXT_TIMEOUT " : "TIMEOUT ") + position);
    }
}
