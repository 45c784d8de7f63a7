package io.jitsiops.health;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.http.ContentType;

/** Drives the Jitsi simulator's admin API from tests. */
final class SimulatorFaults {
    private SimulatorFaults() {
    }

    static String url() {
        return ConfigProvider.getConfig().getValue("jitsiops.simulator.url", String.class);
    }

    static void inject(String target, String kind, long delayMs) {
        given().baseUri(url()).contentType(ContentType.JSON).body("{\"kind\":\"" + kind + "\",\"delayMs\":" + delayMs + "}")
                .put("/admin/faults/" + target).then().statusCode(204);
    }

    static void post(String adminPath) {
        given().baseUri(url()).post("/admin" + adminPath).then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    static void reset() {
        post("/reset");
        given().baseUri(url()).post("/admin/bridges/jvb-1/drain?enabled=false").then().statusCode(204);
    }

    /** A bearer token from the simulator's Janssen that may read SCIM users. */
    static String scimToken() {
        return given().baseUri(url()).auth().preemptive().basic("jitsi-ops", "jitsi-ops-local-secret")
                .formParam("grant_type", "client_credentials").formParam("scope", "https://jans.io/scim/users.read")
                .post("/jans-auth/restv1/token").then().statusCode(200).extract().path("access_token");
    }

    /** A bearer token from the simulator's Janssen, with the given roles (space separated, may be empty). */
    static String token(String roles) {
        return given().baseUri(url()).auth().preemptive().basic("jitsi-ops", "jitsi-ops-local-secret")
                .formParam("grant_type", "client_credentials").formParam("roles", roles)
                .post("/jans-auth/restv1/token").then().statusCode(200).extract().path("access_token");
    }
}
