package io.jitsiops.status.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.OidcTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The page's sign-in and action, end to end at the HTTP level: the authorization-code flow with PKCE at the real
 * simulator's Janssen (as the page's JS does it, with the page's public client), then the action with that token
 * through this app, which verifies it as health-service does (quarkus-oidc) and passes it on to alert-service.
 */
@QuarkusTest
@QuarkusTestResource(value = SignedInActionsResource.class, restrictToAnnotatedClass = true)
class SignedInActionsTest {
    /** Registered for the page's client in the simulator's defaults. */
    private static final String REDIRECT = "http://127.0.0.1:18101/status/";
    private static final String VERIFIER = "status-page-test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";

    @ConfigProperty(name = "jitsiops.simulator.url")
    String simulator;
    @ConfigProperty(name = "jitsiops.status-page.alert-service")
    String alertService;

    @BeforeEach
    void clear() {
        received();
    }

    /** What the stand-in for alert-service received since the last look. */
    private java.util.List<Map<String, String>> received() {
        return given().baseUri(alertService).get("/received").then().statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void theSignInSettingsPointAtTheIssuersJanssenEndpoints() {
        given().get("/status/api/config").then().statusCode(200)
                .body("issuer", equalTo(simulator))
                .body("clientId", equalTo("jitsi-ops-status-page"))
                .body("authorizationEndpoint", equalTo(simulator + "/jans-auth/restv1/authorize"))
                .body("tokenEndpoint", equalTo(simulator + "/jans-auth/restv1/token"));
    }

    @Test
    void anOperatorsTokenFromTheSignInFlowIsAcceptedAndPassedOnUnchangedToAlertService() throws Exception {
        String token = signIn("operator", "operator-local-password");
        given().header("Authorization", "Bearer " + token).contentType("application/json").body("{\"duration\":\"1h\"}")
                .post("/status/api/alerts/fp-1/ack").then().statusCode(200).body("fingerprint", equalTo("fp-1"));
        assertThat(received()).hasSize(1).first().satisfies(r -> assertThat(r)
                .containsEntry("uri", "/api/alerts/fp-1/ack")
                .containsEntry("authorization", "Bearer " + token)
                .containsEntry("body", "{\"duration\":\"1h\"}"));
    }

    @Test
    void aTokenForAnotherAudienceIsRefusedBeforeAnythingIsSent() {
        given().header("Authorization", "Bearer " + OidcTokens.forAudience("other", OidcTokens.OPERATOR))
                .contentType("application/json").body("{}")
                .post("/status/api/alerts/fp-1/ack").then().statusCode(401);
        assertThat(received()).isEmpty();
    }

    /** What the page's JS does: /authorize with S256, Janssen's login form, the code exchanged with the verifier. */
    private String signIn(String user, String password) throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
        Response authorize = given().baseUri(simulator).redirects().follow(false)
                .queryParams(Map.of("response_type", "code", "client_id", "jitsi-ops-status-page", "redirect_uri", REDIRECT,
                        "scope", "openid profile", "state", "st", "nonce", "nn", "code_challenge", challenge,
                        "code_challenge_method", "S256"))
                .get("/jans-auth/restv1/authorize");
        authorize.then().statusCode(302);
        String back = given().baseUri(simulator).redirects().follow(false).cookie("session_id", authorize.cookie("session_id"))
                .formParams("loginForm:username", user, "loginForm:password", password)
                .post("/jans-auth/login.htm").then().statusCode(302).extract().header("Location");
        String code = null;
        for (String pair : URI.create(back).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        return given().baseUri(simulator).header("Origin", "http://127.0.0.1:18101")
                .formParams("grant_type", "authorization_code", "client_id", "jitsi-ops-status-page", "code", code,
                        "redirect_uri", REDIRECT, "code_verifier", VERIFIER)
                .post("/jans-auth/restv1/token").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://127.0.0.1:18101").extract().path("access_token");
    }
}
