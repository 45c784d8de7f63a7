package io.jitsiops.sim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * jicofo's {@code POST /conference-request/v1} without an XMPP server: the error answers of ktor/Application.kt. The
 * successful exchange (focus joining a real prosody's MUC) is exercised by health-service's ConferenceProbeTest.
 */
@QuarkusTest
class ConferenceRequestEndpointTest {

    @AfterEach
    void reset() {
        given().post("/admin/reset").then().statusCode(204);
    }

    @Test
    void aRequesterJicofoDoesNotAuthorizeGets403WithKtorsPlainErrorBody() {
        given().contentType(ContentType.JSON).body("{\"kind\":\"DOWN\"}").put("/admin/faults/focus-auth")
                .then().statusCode(204);
        given().contentType(ContentType.JSON).body("{\"room\":\"r1@conference.meet.jitsi\"}")
                .post("/jicofo/conference-request/v1")
                .then().statusCode(403).contentType(startsWith("text/plain")).body(equalTo("Error"));
    }

    @Test
    void aRequestWithoutARoomIsABadRequest() {
        given().contentType(ContentType.JSON).body("{\"properties\":{}}").post("/jicofo/conference-request/v1")
                .then().statusCode(400).body(startsWith("Bad request: "));
    }

    @Test
    void withoutAFocusLoggedInToProsodyTheRequestCannotBeServed() {
        given().contentType(ContentType.JSON).body("{\"room\":\"r1@conference.meet.jitsi\"}")
                .post("/jicofo/conference-request/v1").then().statusCode(400)
                .body(startsWith("Bad request: internal-server-error"));
        given().get("/admin/focus").then().statusCode(200).body("connected", equalTo(false));
    }
}
