package io.jitsiops.log.tail;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.KafkaServer;
import io.jitsiops.testkit.server.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The service's own tailers (its executor, its Kafka producer, its JDBC pool) while Kafka and PostgreSQL go
 * away together and come back, as the contract test does to the whole application: lines written before,
 * during and after the outage all reach the entries topic, the cursor catches up, and what the tailers do
 * after the return (an nginx 5xx burst analysed) works again.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class KafkaAndPostgresqlOutageTest {
    private static final Logger LOG = Logger.getLogger(KafkaAndPostgresqlOutageTest.class);

    @Inject
    DeploymentDescription deployment;
    @Inject
    TailService tails;

    @ConfigProperty(name = "jitsiops.simulator.url")
    String simulator;

    @Test
    void theServicesTailersResumeShippingWithNoLineLostAfterKafkaAndPostgresqlReturnTogether() throws Exception {
        Path jvb = Path.of(deployment.logs().stream().filter(l -> l.component().equals("jvb")).findFirst().orElseThrow().path());
        String marker = "outage-" + UUID.randomUUID();
        int[] written = { 0 };
        write(jvb, marker, written, 50);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> arrived(jvb, marker).size() >= 50);
        } finally {
            report("before the outage");
        }

        KafkaServer kafka = LocalServers.kafka();
        PostgresServer postgres = LocalServers.postgres();
        kafka.stop();
        postgres.stop();
        try {
            for (int i = 0; i < 4; i++) {
                write(jvb, marker, written, 40); // the simulator writes meanwhile, too
                Thread.sleep(1000);
            }
            given().baseUri(simulator).post("/admin/logs/nginx/errors?count=5");
        } finally {
            postgres.start();
            kafka.start();
        }
        write(jvb, marker, written, 50);
        int total = written[0];
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> lost(arrived(jvb, marker), total).isEmpty());
        } finally {
            report("after the outage");
        }
        Map<Integer, Integer> counts = arrived(jvb, marker);
        long duplicated = counts.values().stream().filter(c -> c > 1).count();
        LOG.infof("outage of Kafka and PostgreSQL together: %d lines, lost 0, shipped twice %d", total, duplicated);
        assertThat(lost(counts, total)).isEmpty();

        // the same application keeps working after the return: a new burst is shipped, stored and analysed
        long before = nginx5xx();
        given().baseUri(simulator).post("/admin/logs/nginx/errors?count=7").then().statusCode(org.hamcrest.Matchers.lessThan(300));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(nginx5xx()).isGreaterThanOrEqualTo(before + 7));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(TailFiles.cursorPosition(jvb.toString())).isEqualTo(Files.size(jvb)));
    }

    private void report(String when) {
        tails.tailers().forEach((path, t) -> LOG.infof("%s: %s shipped %d, failed steps %d, committed %d, last error %s",
                when, path, t.shippedEntries(), t.failedSteps(), t.committedPosition(), t.lastError()));
    }

    private static long nginx5xx() {
        JsonPath a = given().get("/api/logs/analysis?window=1h").then().statusCode(200).extract().jsonPath();
        Long n = a.getObject("byCategory.http-5xx", Long.class);
        return n == null ? 0 : n;
    }

    /** One write per line, appended (O_APPEND), as the simulator writes its own lines to the same file. */
    private static void write(Path f, String marker, int[] written, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            Files.writeString(f, "JVB 2026-11-29 08:00:00.000 INFO: [1] Outage.run#1: " + marker + " line " + written[0]++ + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
    }

    private static Map<Integer, Integer> arrived(Path f, String marker) {
        Pattern p = Pattern.compile(Pattern.quote(marker) + " line (\\d+)");
        Map<Integer, Integer> counts = new HashMap<>();
        for (JsonNode n : TailFiles.records(f.toString())) {
            Matcher m = p.matcher(n.path("message").asText());
            if (m.find()) {
                counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static List<Integer> lost(Map<Integer, Integer> counts, int n) {
        List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!counts.containsKey(i)) {
                lost.add(i);
            }
        }
        return lost;
    }
}
