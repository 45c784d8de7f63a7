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

    @Test
    void aBatchOfDeliveryRecordsIsStoredInOneStatementInOrderWithEveryField() {
        String receiver = "deliveries-" + UUID.randomUUID().toString().substring(0, 8);
        String fp1 = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String fp2 = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        repository.recordDeliveries(List.of(
                new NotificationRepository.DeliveryRecord(receiver, "{}:{a=\"1\"}", List.of(fp1), true, 1, false, null, t),
                new NotificationRepository.DeliveryRecord(receiver, "{}:{a=\"1\"}", List.of(fp1, fp2), false, 5, true,
                        "unexpected status code 503", t.plusMillis(1)),
                new NotificationRepository.DeliveryRecord(receiver, "{}:{a=\"2\"}", List.of(), true, 2, false, null,
                        t.plusMillis(1))))
                .await().atMost(Duration.ofSeconds(10));

        List<NotificationRepository.Delivery> ofFp1 = repository.deliveriesOf(fp1).await().atMost(Duration.ofSeconds(10));
        assertThat(ofFp1).hasSize(2);
        NotificationRepository.Delivery failed = ofFp1.get(0); // newest first
        assertThat(failed.receiver()).isEqualTo(receiver);
        assertThat(failed.fingerprints()).containsExactly(fp1, fp2);
        assertThat(failed.delivered()).isFalse();
        assertThat(failed.attempts()).isEqualTo(5);
        assertThat(failed.digest()).isTrue();
        assertThat(failed.error()).isEqualTo("unexpected status code 503");
        assertThat(failed.at()).isEqualTo(t.plusMillis(1));
        NotificationRepository.Delivery ok = ofFp1.get(1);
        assertThat(ok.groupKey()).isEqualTo("{}:{a=\"1\"}");
        assertThat(ok.delivered()).isTrue();
        assertThat(ok.error()).isNull();
        assertThat(ok.id()).isLessThan(failed.id());
        assertThat(repository.undeliverable(1000).await().atMost(Duration.ofSeconds(10)))
                .filteredOn(d -> d.receiver().equals(receiver)).extracting(NotificationRepository.Delivery::id)
                .containsExactly(failed.id());
        Long empty = pool.query("SELECT count(*) FROM alerts.delivery WHERE receiver = '" + receiver
                        + "' AND fingerprints = '{}' AND attempts = 2").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
        assertThat(empty).isEqualTo(1);
    }
}
