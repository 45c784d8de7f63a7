package io.jitsiops.readiness;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one false ERROR of the reactive SQL client, and only it: eclipse-vertx/vertx-sql-client#1706 (open). When
 * PostgreSQL cannot be reached, a pooled query fails at once with the real error — which our callers handle, retry
 * and count — but the pool's connection-timeout timer is not cancelled on that path, and when it fires it completes
 * the same promise again: Vert.x then reports {@code IllegalStateException: Result is already complete} as an
 * uncaught exception, with a stack trace, once per failed query (31 in one alert-service test run of its outage
 * tests). An operator watching a PostgreSQL outage would read them as a second fault, and a log-based alert would page
 * on them. Matched by the exception, its message and a frame of the pool's class, so any other uncaught exception is
 * still logged. Each service names it on its log handlers ({@code quarkus.log.console.filter}, {@code
 * quarkus.log.file.filter}); remove it once the client is fixed ({@code SqlPoolTimerErrorFilterTest} reproduces the
 * fault on the real client and fails when it is gone).
 */
@LoggingFilter(name = SqlPoolTimerErrorFilter.NAME)
public final class SqlPoolTimerErrorFilter implements Filter {
    public static final String NAME = "vertx-sql-client-1706";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !isPoolTimerAfterFailedAcquire(record.getThrown());
    }

    static boolean isPoolTimerAfterFailedAcquire(Throwable t) {
        if (!(t instanceof IllegalStateException) || !"Result is already complete".equals(t.getMessage())) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                return true;
            }
        }
        return false;
    }
}
