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
