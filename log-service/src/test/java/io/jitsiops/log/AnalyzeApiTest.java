package io.jitsiops.log;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.OidcTokens;
import io.jitsiops.testkit.SelfMonitoringRules;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** POST /api/logs/analyze: the tailer's parsers and rules on pasted text, behind an operator's token. */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class AnalyzeApiTest {
    private static final String JICOFO = """
            Jicofo 2026-11-28 21:06:56.123 INFO: [31] [room=r@conference.meet.jitsi] JitsiMeetConferenceImpl.onMemberJoined#750: Member joined:e74979c7
            Jicofo 2026-11-28 21:06:57.123 SEVERE: [31] [room=r@conference.meet.jitsi] BridgeSelector.selectBridge#120: Failed to select a bridge: no operational bridges
            java.lang.IllegalStateException: no bridge
            \tat org.jitsi.jicofo.bridge.BridgeSelector.selectBridge(BridgeSelector.kt:120)
            Caused by: java.net.ConnectException: Connection refused
            \t... 4 more
            not a jicofo line at all
            """;

    @Test
    void parsesCategorisesAndRecommends() {
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType("text/plain").body(JICOFO)
                .queryParam("format", "jicofo").queryParam("timeZone", "UTC")
                .post("/api/logs/analyze").then().statusCode(200)
                .body("entries.size()", equalTo(2))
                .body("entries[0].context.room", equalTo("r@conference.meet.jitsi"))
                .body("entries[1].category", equalTo("bridge-selection"))
                .body("entries[1].exception.className", equalTo("java.lang.IllegalStateException"))
                .body("entries[1].exception.cause.className", equalTo("java.net.ConnectException"))
                .body("entries[1].exception.cause.omittedFrames", equalTo(4))
                .body("entries[1].stackTrace", containsString("not a jicofo line at all"))
                .body("entries[1].timestamp", equalTo("2026-11-28T21:06:57.123Z"))
                .body("analysis.errors", equalTo(1))
                .body("analysis.byCategory.bridge-selection", equalTo(1))
                .body("analysis.recommendations.category", hasItem("bridge-selection"));
    }

    @Test
    void countsAnUnparseableLineAndKeepsItRaw() {
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType("text/plain")
                .body("garbage\n10.0.0.1 - - [28/Nov/2026:21:06:56 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"\n")
                .queryParam("format", "nginx_access")
                .post("/api/logs/analyze").then().statusCode(200)
                .body("entries[0].parsed", equalTo(false)).body("entries[0].message", equalTo("garbage"))
                .body("analysis.unparsed", equalTo(1)).body("analysis.entries", equalTo(2));
    }

    @Test
    void anUnknownFormatIsRefusedNamingTheAcceptedOnes() {
        given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).contentType("text/plain").body("x")
                .queryParam("format", "syslog").post("/api/logs/analyze").then().statusCode(400)
                .body("error", containsString("prosody, jicofo, jvb, nginx_access, nginx_error"));
    }

    @Test
    void aBodyOverTheLimitGets413() throws Exception {
        // 9 MiB with a declared length: the server answers 413 from the Content-Length and closes
        String status = io.jitsiops.testkit.OversizedPost.statusLine(io.restassured.RestAssured.port, "/api/logs/analyze?format=jvb",
                java.util.Map.of("Authorization", "Bearer " + OidcTokens.withRoles(OidcTokens.OPERATOR), "Content-Type", "text/plain"),
                9L << 20, false);
        org.assertj.core.api.Assertions.assertThat(status).startsWith("HTTP/1.1 413");
    }

    @Test
    void needsAnOperatorTokenForThisApi() {
        given().contentType("text/plain").body("x").queryParam("format", "jvb").post("/api/logs/analyze").then().statusCode(401);
        given().auth().oauth2(OidcTokens.forAudience("another-api", OidcTokens.OPERATOR)).contentType("text/plain").body("x")
                .queryParam("format", "jvb").post("/api/logs/analyze").then().statusCode(401);
        given().auth().oauth2(OidcTokens.withRoles()).contentType("text/plain").body("x")
                .queryParam("format", "jvb").post("/api/logs/analyze").then().statusCode(403);
    }

    @Test
    void readsAreOpenAndCheckTheirParameters() {
        given().get("/api/logs/analysis?window=1h").then().statusCode(200).body("verdict", equalTo("stable"));
        given().get("/api/logs/analysis?window=soon").then().statusCode(400).body("error", containsString("window"));
        given().get("/api/logs/errors?since=yesterday").then().statusCode(400).body("error", containsString("since"));
        given().get("/api/logs/errors?component=jvb").then().statusCode(200);
    }

    @Test
    void everySeriesTheShippedSelfMonitoringAlertsReadIsExposed() {
        // k8s/base/log-service-rules.yaml: an alert on a series this service does not expose would never fire
        var read = SelfMonitoringRules.seriesRead("log-service");
        assertThat(read).contains("kafka_producer_record_error_total");
        String metrics = given().get("/q/metrics").asString();
        assertThat(SelfMonitoringRules.exposed(metrics)).containsAll(read);
        // both producers the rules tell apart: the entries' own (KafkaShipper) and the events' (SmallRye, events-out)
        assertThat(metrics.lines().filter(l -> l.startsWith("kafka_producer_record_error_total{")))
                .anyMatch(l -> l.contains("client_id=\"log-service-entries\""))
                .anyMatch(l -> l.contains("client_id=\"kafka-producer-events-out\""));
    }
}
