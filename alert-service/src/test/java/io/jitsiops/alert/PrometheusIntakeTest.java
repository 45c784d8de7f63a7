package io.jitsiops.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.restassured.http.ContentType;
import io.jitsiops.testkit.SmtpTestResource;
import io.jitsiops.testkit.server.Ports;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** A real Prometheus names jitsi-ops as its Alertmanager: its firing rule is notified through our pipeline. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
@QuarkusTestResource(SmtpTestResource.class)
@QuarkusTestResource(AlertTestResource.class)
class PrometheusIntakeTest {
    @TestHTTPResource("/")
    URL self;

    @Test
    void aRealPrometheusRuleThatFiresIsNotifiedThroughJitsiOps() throws Exception {
        AlertTestResource.wireMock.stubFor(post(urlEqualTo(AlertTestResource.WEBHOOK_PATH)).willReturn(aResponse().withStatus(200)));
        PrometheusServer prometheus = new PrometheusServer(Files.createTempDirectory("prometheus-"), Ports.free(),
                self.getHost() + ":" + self.getPort(), AlertTestResource.INTAKE_SECRET);
        prometheus.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH,
                    "PrometheusRuleFired").isEmpty());
        } finally {
            prometheus.stop();
        }
        JsonNode msg = NotificationFlowTest.JSON.readTree(NotificationFlowTest.requests(AlertTestResource.WEBHOOK_PATH,
                "PrometheusRuleFired").get(0).getBodyAsString());
        JsonNode alert = msg.get("alerts").get(0);
        assertThat(alert.get("labels").get("target").asText()).isEqualTo("p1");
        assertThat(alert.get("annotations").get("summary").asText()).isEqualTo("A Prometheus rule fired");
        assertThat(alert.get("generatorURL").asText()).contains("/graph?g0.expr=vector");
        given().get("/api/alerts?label=alertname=PrometheusRuleFired").then().statusCode(200)
                .body("[0].source", equalTo("prometheus")).body("[0].state", equalTo("FIRING"));
    }

    @Test
    void aPostThatIsNotAnArrayOfLabelledAlertsIsRefusedWith400NamingWhy() {
        String token = "Bearer " + AlertTestResource.INTAKE_SECRET;
        given().header("Authorization", token).contentType(ContentType.JSON).body("{\"labels\":{\"alertname\":\"X\"}}")
                .post("/api/v2/alerts").then().statusCode(400).body("error", containsString("JSON array"));
        given().header("Authorization", token).contentType(ContentType.JSON).body("[{\"annotations\":{\"summary\":\"s\"}}]")
                .post("/api/v2/alerts").then().statusCode(400).body("error", containsString("without labels"));
        given().header("Authorization", token).contentType(ContentType.JSON).body("[{\"labels\":{\"alertname\":")
                .post("/api/v2/alerts").then().statusCode(400).body("error", containsString("malformed JSON"));
        given().header("Authorization", token).contentType(ContentType.JSON)
                .body("[{\"labels\":{\"alertname\":\"X\"},\"startsAt\":\"yesterday\"}]")
                .post("/api/v2/alerts").then().statusCode(400).body("error", containsString("startsAt"));
    }

    @Test
    void aBodyLargerThanTheHttpLimitIsRefusedWith413WhetherDeclaredOrChunked() throws Exception {
        // 11 MiB of one alert's labels: above quarkus.http.limits.max-body-size (10 MiB by default)
        byte[] huge = ("[{\"labels\":{\"alertname\":\"Huge\",\"x\":\"" + "a".repeat(11 << 20) + "\"}}]").getBytes(StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // no h2c upgrade of a big body
        for (boolean chunked : new boolean[] { false, true }) {
            HttpRequest.BodyPublisher body = chunked
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)) // no length: chunked
                    : HttpRequest.BodyPublishers.ofByteArray(huge);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(self.toURI().resolve("api/v2/alerts"))
                    .header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).header("Content-Type", "application/json")
                    .POST(body).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(chunked ? "chunked" : "with Content-Length").isEqualTo(413);
        }
        // and the intake still takes a normal post
        given().header("Authorization", "Bearer " + AlertTestResource.INTAKE_SECRET).contentType(ContentType.JSON)
                .body("[{\"labels\":{\"alertname\":\"AfterHuge\"},\"endsAt\":\"2020-01-01T00:00:00Z\"}]")
                .post("/api/v2/alerts").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDescribesThePostOfAlertsBesideTheScannedResources() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v2/alerts'.post.responses.'503'.description", containsString("saturated"))
                .body("paths.'/api/v2/alerts'.post.responses.'403'.description", containsString("jitsi-ops-operator"))
                .body("paths.'/api/v2/alerts'.get.summary", notNullValue())
                .body("paths.'/api/v2/status'.get.summary", notNullValue());
    }
}
