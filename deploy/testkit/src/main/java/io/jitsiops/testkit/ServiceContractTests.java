package io.jitsiops.testkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * What every jitsi-ops service promises the platform, checked against the real servers. A service's test
 * extends this with {@code @QuarkusTest @QuarkusTestResource(JitsiOpsTestResource.class)} and names its schema.
 */
public abstract class ServiceContractTests {

    /** The PostgreSQL schema the service owns. */
    protected abstract String schema();

    @Test
    void isReadyWhenKafkaAndPostgresqlAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka connection health check",
                        "Reactive PostgreSQL connections health check"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    /**
     * A kubelet or mesh probe gives up after a second or two: with Kafka and PostgreSQL both gone, readiness
     * must still answer (DOWN, naming both) long before such a probe's timeout, and liveness must stay UP so that
     * the pod is not restarted for an outage it cannot fix. The client timeout here is a hang guard, generous
     * on purpose (tests assert no timings); the bound itself is {@code jitsiops.readiness.timeout}.
     */
    @Test
    void answersReadinessPromptlyAndStaysAliveWhileKafkaAndPostgresqlAreDown() {
        var kafka = LocalServers.kafka();
        var postgres = LocalServers.postgres();
        var hangGuard = io.restassured.config.RestAssuredConfig.config().httpClient(
                io.restassured.config.HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 8000).setParam("http.connection.timeout", 8000));
        kafka.stop();
        postgres.stop();
        try {
            given().config(hangGuard).get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status",
                            equalTo("DOWN"));
            given().config(hangGuard).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            postgres.start();
            kafka.start();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void exposesPrometheusMetricsAndAnOpenApiDocument() {
        // What a Prometheus 2.x scraper asks for; OpenMetrics is served to clients that ask for it.
        given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).contentType(containsString("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200).body("openapi", containsString("3."));
    }

    @Test
    void ownsItsSchemaMigratedByFlyway() throws Exception {
        String applied = LocalServers.postgres().psql("jitsiops",
                "SELECT count(*) FROM " + schema() + ".flyway_schema_history WHERE success AND version IS NOT NULL");
        assertEquals(true, Integer.parseInt(applied.trim()) >= 1, "versioned migrations applied in schema " + schema());
    }
}
