package io.jitsiops.sim.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jitsiops.sim.web.NginxStubStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Holds the web front's nginx {@code stub_status} page to the two recorded pages (recorded/nginx, sources in the
 * README there) and to nginx's source: the same four lines with the same fields, and the whitespace nginx prints
 * (a trailing space after {@code Active connections: N}, after the three counters and after {@code Waiting: N};
 * ngx_http_stub_status_module.c). The openresty copy lost those trailing spaces in the paste: it is compared
 * without them.
 */
@QuarkusTest
class NginxStubStatusContractTest {
    private static final String VAYNEDU = "recorded/nginx/stub-status-nginx-vaynedu-nginx-1.16.0-53.txt";
    private static final String OPENRESTY = "recorded/nginx/stub-status-openresty-1.21.4.1-openresty-921.txt";
    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    @AfterEach
    void reset() {
        given().post("/admin/reset").then().statusCode(204);
    }

    @Test
    void servesNginxsFourLinesWithNginxsTrailingSpacesAsTheWholeRecordingShows() throws IOException {
        String served = given().get("/web/nginx_status").then().statusCode(200).contentType(ContentType.TEXT)
                .extract().asString();
        // The recording that kept nginx's whitespace, numbers aside, is the served page exactly.
        assertThat(shape(served)).isEqualTo(shape(Recordings.text(VAYNEDU)));
        assertThat(served).endsWith(" \n").contains("server accepts handled requests\n");
    }

    @Test
    void hasTheFieldsOfTheOpenrestyRecordingLineForLine() throws IOException {
        // As posted: the curl command line and a blank line, then the page without trailing spaces.
        List<String> recorded = Arrays.asList(Recordings.text(OPENRESTY).split("\n"));
        List<String> page = recorded.subList(recorded.indexOf("") + 1, recorded.size());
        List<String> served = Arrays.asList(given().get("/web/nginx_status").then().statusCode(200).extract().asString()
                .split("\n"));
        assertThat(served.stream().map(l -> shape(l).stripTrailing()).toList())
                .isEqualTo(page.stream().map(NginxStubStatusContractTest::shape).toList());
    }

    @Test
    void countersMoveWithTheSimulatedLoadAndActiveConnectionsAddUp() {
        long[] before = read();
        given().contentType(ContentType.JSON).body("{\"bridge\":\"jvb-1\",\"room\":\"nginx-load\",\"participants\":4}")
                .post("/admin/conferences").then().statusCode(201);
        long[] after = read();
        assertThat(after[1]).isGreaterThan(before[1]); // accepts
        assertThat(after[3]).isGreaterThan(before[3]); // requests
        assertThat(after[2]).isEqualTo(after[1]); // nothing dropped
        assertThat(after[0]).isEqualTo(after[4] + after[5] + after[6]); // active = reading + writing + waiting
        assertThat(after[5]).isGreaterThanOrEqualTo(1 + 4); // this request and the new participants' connections
    }

    @Test
    void droppedConnectionsShowAsAcceptsAboveHandled() {
        long[] before = read();
        given().post("/admin/web/dropped-connections?count=7").then().statusCode(204);
        long[] after = read();
        assertThat((after[1] - after[2]) - (before[1] - before[2])).isEqualTo(7);
    }

    @Test
    void aSiteWithoutTheLocationAnswersNginxs404AndAFaultedWebFrontItsError() {
        given().put("/admin/web/stub-status?enabled=false").then().statusCode(204);
        given().get("/web/nginx_status").then().statusCode(404).contentType(ContentType.HTML);
        given().put("/admin/web/stub-status?enabled=true").then().statusCode(204);
        given().get("/web/nginx_status").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"kind\":\"ERROR\"}").put("/admin/faults/web").then().statusCode(204);
        given().get("/web/nginx_status").then().statusCode(502);
    }

    @Test
    void theTextIsBuiltAsNginxsSprintfFormats() {
        assertThat(NginxStubStatus.text(1, 14, 14, 17, 0, 1, 0))
                .isEqualTo("Active connections: 1 \nserver accepts handled requests\n 14 14 17 \nReading: 0 Writing: 1 Waiting: 0 \n");
    }

    /** active, accepts, handled, requests, reading, writing, waiting. */
    private static long[] read() {
        String page = given().get("/web/nginx_status").then().statusCode(200).extract().asString();
        Matcher m = NUMBERS.matcher(page);
        long[] v = new long[7];
        for (int i = 0; i < 7; i++) {
            assertThat(m.find()).as(page).isTrue();
            v[i] = Long.parseLong(m.group());
        }
        return v;
    }

    private static String shape(String text) {
        return NUMBERS.matcher(text).replaceAll("N");
    }
}
