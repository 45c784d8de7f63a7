package io.jitsiops.sim.janssen;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The simulated Janssen against recorded real payloads (discovery, JWKS) and the upstream sources it follows
 * (token endpoint, introspection, health check, SCIM). See src/test/resources/recorded/janssen/README.md.
 */
@QuarkusTest
class JanssenSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "jitsi-ops-local-secret";
    private static final String SCIM = "/jans-scim/restv1/v2";

    @AfterEach
    void reset() {
        given().post("/admin/reset").then().statusCode(204);
    }

    @Test
    void discoveryHasTheRecordedMembersAndTypesWithTheBareHostAsIssuer() throws Exception {
        JsonNode recorded = recorded("openid-configuration.json");
        JsonNode served = JSON.readTree(given().get("/.well-known/openid-configuration").then().statusCode(200).extract().asString());
        assertThat(types(served)).isEqualTo(types(recorded));
        String issuer = served.get("issuer").asText();
        assertThat(issuer).matches("http://(localhost|127\\.0\\.0\\.1):" + port());
        for (String endpoint : List.of("token_endpoint", "jwks_uri", "introspection_endpoint", "registration_endpoint")) {
            assertThat(served.get(endpoint).asText()).startsWith(issuer + "/jans-auth/restv1/");
        }
        // The simulator's first layout, kept for older configurations: same document, issuer with the prefix.
        given().get("/janssen/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", matchesPattern("http://(localhost|127\\.0\\.0\\.1):" + port() + "/janssen"))
                .body("token_endpoint", matchesPattern(".*/janssen/jans-auth/restv1/token"));
    }

    @Test
    void jwksKeysHaveTheRecordedMembersPerKindAndRealSelfSignedCertificates() throws Exception {
        JsonNode served = JSON.readTree(given().get("/jans-auth/restv1/jwks").then().statusCode(200).extract().asString());
        Map<String, JsonNode> byAlg = new TreeMap<>();
        served.get("keys").forEach(k -> byAlg.put(k.get("alg").asText(), k));
        assertThat(byAlg.keySet()).containsExactlyInAnyOrder("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256",
                "PS384", "PS512", "RSA1_5", "RSA-OAEP", "ECDH-ES");
        for (JsonNode real : recorded("jwks-excerpt.json").get("keys")) {
            JsonNode sim = byAlg.get(real.get("alg").asText());
            assertThat(types(sim)).as(real.get("alg").asText()).isEqualTo(types(withoutNulls(real)));
            assertThat(sim.get("kid").asText()).endsWith(real.get("kid").asText().substring(36));
            assertThat(sim.get("name").asText()).isEqualTo(real.get("name").asText());
            assertThat(sim.get("descr").asText()).isEqualTo(real.get("descr").asText());
            X509Certificate realCert = certificate(real);
            X509Certificate simCert = certificate(sim);
            assertThat(simCert.getSubjectX500Principal()).isEqualTo(realCert.getSubjectX500Principal());
            assertThat(simCert.getIssuerX500Principal()).isEqualTo(realCert.getIssuerX500Principal());
            assertThat(simCert.getExtendedKeyUsage()).isEqualTo(realCert.getExtendedKeyUsage());
            assertThat(simCert.getSigAlgName()).isEqualTo(realCert.getSigAlgName());
            simCert.verify(simCert.getPublicKey());
            assertThat(simCert.getNotAfter().getTime() / 1000).isEqualTo(sim.get("exp").asLong() / 1000);
            assertMatches(simCert, sim);
            assertMatches(realCert, real);
        }
        assertThat(served.get("keys").findValuesAsText("use")).contains("sig", "enc");
    }

    @Test
    void badClientCredentialsAre401WithTheBasicChallengeBeforeTheGrantIsLookedAt() {
        given().auth().preemptive().basic("jitsi-ops", "wrong").formParam("grant_type", "password")
                .post("/jans-auth/restv1/token").then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"jans-auth\"").body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic("jitsi-ops", SECRET).formParam("grant_type", "password")
                .post("/jans-auth/restv1/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        Map<String, Object> answer = given().auth().preemptive().basic("jitsi-ops", SECRET)
                .formParam("grant_type", "client_credentials").formParam("scope", "https://jans.io/scim/users.read")
                .post("/jans-auth/restv1/token").then().statusCode(200).header("Cache-Control", "no-store").extract().as(Map.class);
        assertThat(answer).containsOnlyKeys("access_token", "scope", "token_type", "expires_in")
                .containsEntry("expires_in", 299).containsEntry("token_type", "Bearer")
                .containsEntry("scope", "https://jans.io/scim/users.read");
        assertThat((String) answer.get("access_token")).contains(".");
    }

    @Test
    void opaqueTokensByDefaultForOtherClientsAndOnDemandForTheTestClientAndIntrospectionAsJansAuth() {
        String opaque = token("jitsi-ops-opaque", null);
        assertThat(opaque).matches("[0-9a-f-]{36}");
        fault("/admin/faults/janssen-opaque-tokens").statusCode(204);
        String alsoOpaque = token("jitsi-ops", "https://jans.io/scim/users.read");
        assertThat(alsoOpaque).doesNotContain(".");

        given().formParam("token", opaque).post("/jans-auth/restv1/introspection").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().auth().preemptive().basic("jitsi-ops", "wrong").formParam("token", opaque)
                .post("/jans-auth/restv1/introspection").then().statusCode(401).body("error", equalTo("access_denied"));
        Map<String, Object> active = given().auth().preemptive().basic("jitsi-ops", SECRET).formParam("token", alsoOpaque)
                .post("/jans-auth/restv1/introspection").then().statusCode(200).extract().as(Map.class);
        assertThat(active).containsOnlyKeys("active", "scope", "client_id", "token_type", "exp", "iat", "iss", "aud")
                .containsEntry("active", true).containsEntry("client_id", "jitsi-ops")
                .containsEntry("scope", "https://jans.io/scim/users.read");
        given().auth().oauth2(opaque).formParam("token", "no-such-token").post("/jans-auth/restv1/introspection")
                .then().statusCode(200).body(equalTo("{\"active\":false}"));
    }

    @Test
    void healthCheckIsAlways200WithTheUpstreamTextAndSaysStartingOrOffline() {
        given().get("/jans-auth/sys/health-check").then().statusCode(200)
                .body(equalTo("{\"status\": \"running\", \"db_status\":\"online\"}"));
        fault("/admin/faults/janssen-starting").statusCode(204);
        given().get("/jans-auth/sys/health-check").then().statusCode(200).body("status", equalTo("starting"));
        fault("/admin/faults/janssen").statusCode(204);
        given().get("/jans-auth/sys/health-check").then().statusCode(200).body("db_status", equalTo("offline"));
    }

    @Test
    void scimNeedsABearerWithUserScopesAndHonoursFilterStartIndexAndCount() {
        given().get(SCIM + "/ServiceProviderConfig").then().statusCode(200)
                .body("authenticationSchemes[0].type", equalTo("oauth2")).body("filter.maxResults", equalTo(200));
        String user = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"%s\"}";
        given().contentType("application/scim+json").body(user.formatted("x")).post(SCIM + "/Users").then().statusCode(401)
                .body("detail", equalTo("No authorization header found"));
        String readOnly = token("jitsi-ops", "https://jans.io/scim/users.read");
        given().auth().oauth2(readOnly).contentType("application/scim+json").body(user.formatted("x")).post(SCIM + "/Users")
                .then().statusCode(403).body("detail", equalTo("Invalid token or insufficient scopes"));
        String both = token("jitsi-ops", "https://jans.io/scim/users.read https://jans.io/scim/users.write");
        for (String name : List.of("alice", "albert", "bob")) {
            given().auth().oauth2(both).contentType("application/scim+json").body(user.formatted(name)).post(SCIM + "/Users")
                    .then().statusCode(201);
        }
        given().auth().oauth2(both).queryParam("filter", "userName sw \"al\"").get(SCIM + "/Users").then().statusCode(200)
                .body("totalResults", equalTo(2)).body("Resources.userName", org.hamcrest.Matchers.contains("alice", "albert"));
        given().auth().oauth2(both).queryParam("startIndex", 2).queryParam("count", 1).get(SCIM + "/Users").then()
                .body("totalResults", equalTo(3)).body("startIndex", equalTo(2)).body("itemsPerPage", equalTo(1))
                .body("Resources[0].userName", equalTo("albert"));
        given().auth().oauth2(both).queryParam("filter", "userName xx 1").get(SCIM + "/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidFilter"));
        List<String> ids = given().auth().oauth2(both).get(SCIM + "/Users").then().extract().path("Resources.id");
        ids.forEach(id -> given().auth().oauth2(both).delete(SCIM + "/Users/" + id).then().statusCode(204));

        fault("/admin/faults/janssen-no-scim-scopes").statusCode(204);
        String refused = token("jitsi-ops", "https://jans.io/scim/users.read");
        given().auth().oauth2(refused).get(SCIM + "/Users").then().statusCode(403);
    }

    @Test
    void discoveryCanPointItsEndpointsAtAnotherOrigin() {
        fault("/admin/faults/janssen-discovery-elsewhere").statusCode(204);
        String issuer = given().get("/.well-known/openid-configuration").then().extract().path("issuer");
        String token = given().get("/.well-known/openid-configuration").then().extract().path("token_endpoint");
        assertThat(token).endsWith("/jans-auth/restv1/token").doesNotStartWith(issuer);
    }

    private static io.restassured.response.ValidatableResponse fault(String path) {
        return given().contentType(ContentType.JSON).body("{\"kind\":\"DOWN\"}").put(path).then();
    }

    private static String token(String client, String scope) {
        var request = given().auth().preemptive().basic(client, SECRET).formParam("grant_type", "client_credentials");
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.post("/jans-auth/restv1/token").then().statusCode(200).extract().path("access_token");
    }

    private static void assertMatches(X509Certificate cert, JsonNode jwk) {
        Base64.Decoder b64 = Base64.getUrlDecoder();
        if (cert.getPublicKey() instanceof RSAPublicKey rsa) {
            assertThat(rsa.getModulus()).isEqualTo(new BigInteger(1, b64.decode(jwk.get("n").asText())));
        } else {
            ECPublicKey ec = (ECPublicKey) cert.getPublicKey();
            assertThat(ec.getW().getAffineX()).isEqualTo(new BigInteger(1, b64.decode(jwk.get("x").asText())));
            assertThat(b64.decode(jwk.get("x").asText()).length)
                    .isEqualTo((ec.getParams().getCurve().getField().getFieldSize() + 7) / 8);
        }
    }

    private static X509Certificate certificate(JsonNode jwk) throws Exception {
        byte[] der = Base64.getDecoder().decode(jwk.get("x5c").get(0).asText());
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
        List<String> nulls = new java.util.ArrayList<>();
        copy.fieldNames().forEachRemaining(f -> {
            if (copy.get(f).isNull()) {
                nulls.add(f);
            }
        });
        copy.remove(nulls);
        return copy;
    }

    /** Member name → JSON type, in name order. */
    private static Map<String, String> types(JsonNode object) {
        Map<String, String> t = new TreeMap<>();
        object.fields().forEachRemaining(e -> t.put(e.getKey(), e.getValue().getNodeType().name()));
        return t;
    }

    private static JsonNode recorded(String name) throws Exception {
        try (InputStream in = JanssenSimulatorTest.class.getResourceAsStream("/recorded/janssen/" + name)) {
            return JSON.readTree(in);
        }
    }

    private static int port() {
        return io.restassured.RestAssured.port;
    }
}
