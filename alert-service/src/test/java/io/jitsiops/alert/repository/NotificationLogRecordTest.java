package io.jitsiops.alert.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.AlertTestResource;
import io.jitsiops.alert.notify.NotificationLogEntry;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.SmtpTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The notification log's one-statement group commit against the real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class NotificationLogRecordTest {
    @Inject
    NotificationRepository repository;
    @Inject
    Pool pool;

    private static Set<String> set(String... fps) {
        return new LinkedHashSet<>(List.of(fps));
    }

    private NotificationLogEntry stored(String receiver, String group) {
        return repository.logEntries().await().atMost(Duration.ofSeconds(10)).stream()
                .filter(e -> e.receiver().equals(receiver) && e.groupKey().equals(group)).findFirst().orElseThrow();
    }

    @Test
    void aBatchOfEntriesIsStoredInOneStatementAndAnOlderEntryNeverReplacesANewerOne() {
        String receiver = "log-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        repository.record(List.of(
                new NotificationLogEntry(receiver, "{}:{alertname=\"a\"}", set("0123456789abcdef", "fedcba9876543210"), set(), t),
                new NotificationLogEntry(receiver, "{}:{alertname=\"b\"}", set(), set("00000000000000aa"), t),
                // the same group twice in one batch: the later entry is the one written
                new NotificationLogEntry(receiver, "{}:{alertname=\"b\"}", set("00000000000000bb"), set(), t.plusMillis(1))))
                .await().atMost(Duration.ofSeconds(10));
        NotificationLogEntry a = stored(receiver, "{}:{alertname=\"a\"}");
        assertThat(a.firing()).containsExactly("0123456789abcdef", "fedcba9876543210");
        assertThat(a.resolved()).isEmpty();
        assertThat(a.sentAt()).isEqualTo(t);
        assertThat(stored(receiver, "{}:{alertname=\"b\"}").firing()).containsExactly("00000000000000bb");

        // a batch that commits later with an older entry (two writes in flight) keeps the newer one
        repository.record(List.of(new NotificationLogEntry(receiver, "{}:{alertname=\"a\"}", set(), set("0123456789abcdef"),
                t.minusSeconds(1)))).await().atMost(Duration.ofSeconds(10));
        assertThat(stored(receiver, "{}:{alertname=\"a\"}").firing()).containsExactly("0123456789abcdef", "fedcba9876543210");

        // synchronous_commit = off was local to the statement's transaction: every pooled connection keeps the
        // server's setting (the test kit's server runs with off for speed, so compare with its configured value)
        for (int i = 0; i < 10; i++) {
            Boolean unchanged = pool.query("SELECT setting = reset_val FROM pg_settings WHERE name = 'synchronous_commit'")
                    .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getBoolean(0);
            assertThat(unchanged).isTrue();
        }
    }
}
