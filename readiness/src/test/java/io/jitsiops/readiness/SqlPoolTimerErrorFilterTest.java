package io.jitsiops.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The false ERROR of vertx-sql-client#1706, reproduced on the real client, is dropped; other exceptions are not. */
class SqlPoolTimerErrorFilterTest {

    @Test
    void dropsTheUncaughtResultAlreadyCompleteOfAPoolQueryThatFailedToConnect() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once closed: connecting is refused at once
        }
        Vertx vertx = Vertx.vertx();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        vertx.exceptionHandler(uncaught::add);
        Pool pool = PgBuilder.pool().with(new PoolOptions().setConnectionTimeout(1)) // seconds: the timer of the fault
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(closed).setDatabase("x").setUser("x"))
                .using(vertx).build();
        try {
            List<Throwable> failed = new CopyOnWriteArrayList<>();
            pool.query("SELECT 1").execute().onFailure(failed::add);
            await().atMost(Duration.ofSeconds(10)).until(() -> !failed.isEmpty());
            // the caller had the real error; then the pool's timer reports the same request again
            await().atMost(Duration.ofSeconds(10)).until(() -> !uncaught.isEmpty());
        } finally {
            pool.close();
            vertx.close();
        }
        LogRecord record = new LogRecord(Level.SEVERE, "Uncaught exception received by Vert.x");
        record.setThrown(uncaught.get(0));
        assertThat(uncaught.get(0)).hasMessage("Result is already complete");
        assertThat(new SqlPoolTimerErrorFilter().isLoggable(record)).isFalse();
    }

    @Test
    void keepsEveryOtherUncaughtException() {
        LogRecord sameMessageElsewhere = new LogRecord(Level.SEVERE, "Uncaught exception received by Vert.x");
        sameMessageElsewhere.setThrown(new IllegalStateException("Result is already complete"));
        LogRecord other = new LogRecord(Level.SEVERE, "Uncaught exception received by Vert.x");
        other.setThrown(new IllegalArgumentException("bad"));
        LogRecord plain = new LogRecord(Level.SEVERE, "no exception");
        SqlPoolTimerErrorFilter filter = new SqlPoolTimerErrorFilter();
        assertThat(filter.isLoggable(sameMessageElsewhere)).isTrue();
        assertThat(filter.isLoggable(other)).isTrue();
        assertThat(filter.isLoggable(plain)).isTrue();
    }
}
