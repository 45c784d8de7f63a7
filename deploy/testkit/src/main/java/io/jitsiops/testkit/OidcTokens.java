package io.jitsiops.testkit;

import static io.restassured.RestAssured.given;

import io.jitsiops.testkit.server.DeploymentFiles;

/**
 * Bearer tokens from the simulator's Janssen for the services' mutating endpoints, which accept tokens of the
 * configured issuer, with the configured audience ({@link #AUDIENCE}, as {@code quarkus.oidc.token.audience})
 * and a role in claim {@code role}.
 */
public final class OidcTokens {
    /** The audience every service requires by default ({@code JITSIOPS_OIDC_AUDIENCE}). */
    public static final String AUDIENCE = "jitsi-ops";
    public static final String OPERATOR = "jitsi-ops-operator";
    public static final String ADMIN = "jitsi-ops-admin";

    private OidcTokens() {
    }

    /** A token for the jitsi-ops audience with these roles (none: a valid token that no mutation accepts). */
    public static String withRoles(String... roles) {
        return token(AUDIENCE, roles);
    }

    /** A token with these roles but for another audience: every mutation must refuse it with 401. */
    public static String forAudience(String audience, String... roles) {
        return token(audience, roles);
    }

    private static String token(String audience, String... roles) {
        return given().baseUri(LocalServers.simulator().url()).auth().preemptive()
                .basic("jitsi-ops", DeploymentFiles.SIMULATOR_CLIENT_SECRET)
                .formParam("grant_type", "client_credentials")
                .formParam("audience", audience)
                .formParam("roles", String.join(" ", roles))
                .post("/jans-auth/restv1/token").then().statusCode(200).extract().path("access_token");
    }
}
