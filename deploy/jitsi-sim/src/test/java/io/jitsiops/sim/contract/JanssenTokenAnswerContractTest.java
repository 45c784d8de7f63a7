package io.jitsiops.sim.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The simulated jans-auth's client_credentials answer against the recorded refresh_token answer of a real jans-auth
 * (recorded/janssen, jans docs authorization-challenge.md @ e3169945): no client_credentials answer is public, and
 * the refresh_token one is the recorded answer that carries {@code scope}. Same members but {@code refresh_token}
 * (a client_credentials grant issues none, RFC 6749 4.4.3), same types, {@code expires_in} 299, an opaque UUID
 * access token for a client registered with {@code access_token_as_jwt: false}, and the recorded
 * {@code Cache-Control}/{@code Pragma} headers.
 */
@QuarkusTest
class JanssenTokenAnswerContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORDED = "recorded/janssen/token-response-refresh_token-2023-08-jans-authorization-challenge-md.http";

    @Test
    void aClientCredentialsAnswerHasTheRecordedRefreshAnswersMembersButTheRefreshToken() throws IOException {
        String recorded = Recordings.text(RECORDED);
        assertThat(recorded).startsWith("HTTP/1.1 200\n").contains("\nCache-Control: no-store\n").contains("\nPragma: no-cache\n");
        JsonNode body = JSON.readTree(recorded.substring(recorded.indexOf("\n{") + 1));
        // the opaque client (jitsisim registers <client-id>-opaque with access_token_as_jwt: false)
        Response answer = given().auth().preemptive().basic("jitsi-ops-opaque", "jitsi-ops-local-secret")
                .formParam("grant_type", "client_credentials").formParam("scope", "openid").post("/jans-auth/restv1/token");
        answer.then().statusCode(200).header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .contentType(io.restassured.http.ContentType.JSON);
        JsonNode served = JSON.readTree(answer.asString());
        Set<String> expected = new java.util.TreeSet<>(Recordings.fieldNames(body));
        expected.remove("refresh_token");
        assertThat(new java.util.TreeSet<>(Recordings.fieldNames(served))).isEqualTo(expected);
        for (String key : expected) {
            assertThat(served.get(key).getNodeType()).as(key).isEqualTo(body.get(key).getNodeType());
        }
        assertThat(served.get("expires_in").asInt()).isEqualTo(body.get("expires_in").asInt());
        assertThat(served.get("token_type").asText()).isEqualTo(body.get("token_type").asText());
        String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
        assertThat(body.get("access_token").asText()).matches(uuid);
        assertThat(served.get("access_token").asText()).matches(uuid);
    }
}
