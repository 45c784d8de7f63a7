package io.jitsiops.metrics;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.jitsiops.testkit.LocalServers;

/** The simulator's admin API: faults and conference quality. */
final class Simulator {
    private Simulator() {
    }

    static String url() {
        return LocalServers.simulator().url();
    }

    static void fault(String target, String kind, long delayMs) {
        given().baseUri(url()).contentType("application/json").body(Map.of("kind", kind, "delayMs", delayMs))
                .put("/admin/faults/" + target).then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    static void clearFaults() {
        given().baseUri(url()).delete("/admin/faults").then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    /** The conferences the simulator runs: id, room, bridge, participants. */
    static List<Map<String, Object>> conferences() {
        return given().baseUri(url()).get("/admin/conferences").then().statusCode(200).extract().jsonPath().getList("$");
    }

    static void degrade(String conferenceId, Map<String, Object> degradation) {
        given().baseUri(url()).contentType("application/json").body(degradation).post("/admin/conferences/" + conferenceId + "/degrade")
                .then().statusCode(200);
    }
}
