package io.jitsiops.sim.janssen;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The status page's sign-in against the simulated Janssen at the HTTP level, as a browser does it: /authorize →
 * login page → 302 back with a code → /token with the PKCE verifier (from the page's origin, so CORS applies).
 */
@QuarkusTest
class AuthorizationCodeFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "jitsi-ops-status-page";
    private static final String REDIRECT = "http://status.test/status/";
    private static final String ORIGIN = "http://status.test";
    private static final String VERIFIER = "dBjftJeZ4CVP-mJ92K9qWzFvB0rEa5t6WbVq3FQ0aXc-verifier-of-the-test";

    @Test
    void anOperatorSignsInAndGetsAnAccessTokenWithTheOperatorRoleForJitsiOps() throws Exception {
        String session = authorize(Map.of("state", "s-1", "nonce", "n-1"));
        given().cookie("session_id", session).get("/jans-auth/login.htm").then().statusCode(200)
                .body(containsString("id=\"loginForm:username\""), containsString("name=\"loginForm:password\""),
                        containsString("id=\"loginForm:loginButton\""), containsString("action=\"/jans-auth/login.htm\""));

        Map<String, String> back = login(session, "operator", "operator-local-password");
        assertThat(back).containsKeys("code", "session_state").containsEntry("state", "s-1").containsEntry("scope", "openid profile");

        Response token = given().redirects().follow(false).header("Origin", ORIGIN)
                .formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", back.get("code"),
                        "redirect_uri", REDIRECT, "code_verifier", VERIFIER)
                .post("/jans-auth/restv1/token");
        token.then().statusCode(200).header("Access-Control-Allow-Origin", ORIGIN).header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(299)).body("scope", nullValue());
        JsonNode access = claims(token.path("access_token"));
        String issuer = given().get("/.well-known/openid-configuration").path("issuer");
        assertThat(access.get("iss").asText()).isEqualTo(issuer);
        assertThat(access.get("aud").asText()).isEqualTo("jitsi-ops");
        assertThat(access.get("role").get(0).asText()).isEqualTo("jitsi-ops-operator");
        assertThat(access.get("preferred_username").asText()).isEqualTo("operator");
        assertThat(access.get("exp").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);
        String kid = header(token.path("access_token")).get("kid").asText();
        assertThat(given().get("/jans-auth/restv1/jwks").jsonPath().getList("keys.kid")).contains(kid);
        JsonNode id = claims(token.path("id_token"));
        assertThat(id.get("aud").asText()).isEqualTo(CLIENT);
        assertThat(id.get("nonce").asText()).isEqualTo("n-1");

        // single use: the same code a second time is refused
        given().formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", back.get("code"),
                        "redirect_uri", REDIRECT, "code_verifier", VERIFIER)
                .post("/jans-auth/restv1/token").then().statusCode(400)
                .body("error", equalTo("invalid_grant")).body("error_description", equalTo("Unable to find grant object for given code."));
    }

    /**
     * Held to a recorded real answer of jans-auth to the authorization-code grant (recorded/janssen, from jans docs
     * authorization-challenge.md @ e3169945): the same keys but {@code refresh_token} (the page's public client is not
     * granted refresh_token), the same {@code Cache-Control}/{@code Pragma}; {@code scope} echoed only when the token
     * request named one, as jans-auth's processAuthorizationCode does.
     */
    @Test
    void theCodeExchangeAnswersWithTheKeysAndHeadersOfARecordedJansAuthAnswer() throws Exception {
        String recorded;
        try (var in = getClass().getResourceAsStream("/recorded/janssen/token-response-authorization_code-2023-08-jans-authorization-challenge-md.http")) {
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode recordedBody = JSON.readTree(recorded.substring(recorded.indexOf("\n{") + 1));
        assertThat(recorded).contains("\nCache-Control: no-store\n").contains("\nPragma: no-cache\n");

        Map<String, String> back = login(authorize(Map.of("state", "s-r", "nonce", "n-r")), "operator", "operator-local-password");
        Response token = given().formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", back.get("code"),
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER).post("/jans-auth/restv1/token");
        token.then().statusCode(200).header("Cache-Control", "no-store").header("Pragma", "no-cache");
        JsonNode answer = JSON.readTree(token.asString());
        java.util.Set<String> expected = new java.util.TreeSet<>();
        recordedBody.fieldNames().forEachRemaining(expected::add);
        expected.remove("refresh_token");
        java.util.Set<String> served = new java.util.TreeSet<>();
        answer.fieldNames().forEachRemaining(served::add);
        assertThat(served).isEqualTo(expected);
        assertThat(answer.get("expires_in").asInt()).isEqualTo(recordedBody.get("expires_in").asInt());
        assertThat(answer.get("token_type").asText()).isEqualTo(recordedBody.get("token_type").asText());

        Map<String, String> again = login(authorize(Map.of("state", "s-s", "nonce", "n-s")), "operator", "operator-local-password");
        given().formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", again.get("code"),
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER, "scope", "openid").post("/jans-auth/restv1/token")
                .then().statusCode(200).body("scope", equalTo("openid"));
    }

    @Test
    void aWrongVerifierIsRefusedAndBurnsTheCode() {
        String code = login(authorize(Map.of("state", "s-2")), "viewer", "viewer-local-password").get("code");
        given().formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", code, "redirect_uri", REDIRECT,
                        "code_verifier", VERIFIER.replace('d', 'e'))
                .post("/jans-auth/restv1/token").then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("PKCE check fails"));
        given().formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", code, "redirect_uri", REDIRECT,
                        "code_verifier", VERIFIER)
                .post("/jans-auth/restv1/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aUserWithoutRoleGetsATokenWithAnEmptyRoleClaim() throws Exception {
        String code = login(authorize(Map.of()), "viewer", "viewer-local-password").get("code");
        String access = given().formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", code,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER).post("/jans-auth/restv1/token").then().statusCode(200)
                .extract().path("access_token");
        assertThat(claims(access).get("role").size()).isZero();
    }

    @Test
    void aWrongPasswordShowsTheFormAgainAndIssuesNoCode() {
        String session = authorize(Map.of());
        given().redirects().follow(false).cookie("session_id", session)
                .formParams("loginForm:username", "operator", "loginForm:password", "not-the-password")
                .post("/jans-auth/login.htm").then().statusCode(200).header("Location", nullValue())
                .body(containsString("Failed to authenticate."), containsString("id=\"loginForm:username\""));
    }

    @Test
    void passwordsAndCodesNeverReachTheLog() {
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                lines.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters())
                        + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            String session = authorize(Map.of());
            given().cookie("session_id", session).formParams("loginForm:username", "operator", "loginForm:password", "wrong-secret-pw")
                    .post("/jans-auth/login.htm").then().statusCode(200);
            String code = login(session, "operator", "operator-local-password").get("code");
            given().formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", code, "redirect_uri", REDIRECT,
                    "code_verifier", VERIFIER).post("/jans-auth/restv1/token").then().statusCode(200);
            assertThat(lines).noneMatch(l -> l.contains("operator-local-password") || l.contains("wrong-secret-pw")
                    || l.contains(code) || l.contains(VERIFIER));
        } finally {
            root.removeHandler(capture);
        }
    }

    @Test
    void anUnregisteredRedirectUriGetsAnErrorAnswerNeverARedirect() {
        given().redirects().follow(false).queryParams(params("http://evil.test/status/", Map.of("state", "s-3")))
                .get("/jans-auth/restv1/authorize").then().statusCode(400).header("Location", nullValue())
                .body("error", equalTo("invalid_request_redirect_uri")).body("state", equalTo("s-3"));
        Map<String, Object> q = params(REDIRECT, Map.of());
        q.put("client_id", "nobody");
        given().redirects().follow(false).queryParams(q).get("/jans-auth/restv1/authorize").then().statusCode(401)
                .body("error", equalTo("unauthorized_client"));
    }

    @Test
    void aRequestWithoutPkceGoesBackWithInvalidRequest() {
        Map<String, Object> q = params(REDIRECT, Map.of("state", "s-4"));
        q.remove("code_challenge");
        String location = given().redirects().follow(false).queryParams(q).get("/jans-auth/restv1/authorize")
                .then().statusCode(302).extract().header("Location");
        assertThat(location).startsWith(REDIRECT + "?");
        assertThat(query(location)).containsEntry("error", "invalid_request").containsEntry("state", "s-4");
        q.put("code_challenge", AuthorizationCodes.s256(VERIFIER));
        q.put("code_challenge_method", "plain");
        assertThat(query(given().redirects().follow(false).queryParams(q).get("/jans-auth/restv1/authorize")
                .then().statusCode(302).extract().header("Location"))).containsEntry("error", "invalid_request");
    }

    @Test
    void theTokenEndpointAnswersBrowsersOfTheClientsOriginsOnly() {
        given().header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST").options("/jans-auth/restv1/token")
                .then().statusCode(200).header("Access-Control-Allow-Origin", ORIGIN)
                .header("Access-Control-Allow-Methods", containsString("POST"));
        given().header("Origin", "http://evil.test").header("Access-Control-Request-Method", "POST")
                .options("/jans-auth/restv1/token").then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "http://evil.test").formParams("grant_type", "authorization_code", "client_id", CLIENT,
                "code", "x", "code_verifier", VERIFIER).post("/jans-auth/restv1/token").then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void theOldLayoutUnderJanssenSignsInWithTheMatchingIssuer() throws Exception {
        Map<String, Object> q = params(REDIRECT, Map.of());
        Response r = given().redirects().follow(false).queryParams(q).get("/janssen/jans-auth/restv1/authorize");
        r.then().statusCode(302).header("Location", endsWith("/janssen/jans-auth/login.htm"));
        String code = login(r.cookie("session_id"), "operator", "operator-local-password").get("code");
        String access = given().formParams("grant_type", "authorization_code", "client_id", CLIENT, "code", code,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER).post("/janssen/jans-auth/restv1/token").path("access_token");
        assertThat(claims(access).get("iss").asText()).endsWith("/janssen");
    }

    private static String authorize(Map<String, String> extra) {
        Response r = given().redirects().follow(false).queryParams(params(REDIRECT, extra)).get("/jans-auth/restv1/authorize");
        r.then().statusCode(302).header("Location", matchesPattern("http://[^/]+/jans-auth/login.htm"));
        return r.cookie("session_id");
    }

    private static Map<String, String> login(String session, String user, String password) {
        String location = given().redirects().follow(false).cookie("session_id", session)
                .formParams("loginForm:username", user, "loginForm:password", password)
                .post("/jans-auth/login.htm").then().statusCode(302).extract().header("Location");
        assertThat(location).startsWith(REDIRECT + "?");
        return query(location);
    }

    private static Map<String, Object> params(String redirect, Map<String, String> extra) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", CLIENT);
        q.put("redirect_uri", redirect);
        q.put("scope", "openid profile");
        q.put("code_challenge", AuthorizationCodes.s256(VERIFIER));
        q.put("code_challenge_method", "S256");
        q.putAll(extra);
        return q;
    }

    private static Map<String, String> query(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static JsonNode header(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }
}
