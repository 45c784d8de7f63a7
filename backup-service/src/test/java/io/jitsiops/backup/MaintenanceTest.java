package io.jitsiops.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.OidcTokens;
import io.jitsiops.testkit.server.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Database maintenance on the real Jitsi-side databases: cleanup SQL, VACUUM (ANALYZE), REINDEX of a bloated index. */
@QuarkusTest
@QuarkusTestResource(BackupTestResource.class)
class MaintenanceTest {

    @Test
    void removesOldRowsVacuumsAndRebuildsOnlyTheBloatedIndexReportingWhatAndHowLong() throws Exception {
        PostgresServer pg = LocalServers.postgres();
        pg.psql("prosody", "INSERT INTO prosody SELECT 'meet.jitsi', 'old' || g, 'expired-session', 'k', 'string', 'v' FROM generate_series(1, 3) g");
        pg.psql("jicofo", """
                CREATE EXTENSION IF NOT EXISTS pgstattuple;
                CREATE TABLE churn (id INT PRIMARY KEY, v TEXT);
                INSERT INTO churn SELECT g, md5(g::text) FROM generate_series(1, 40000) g;
                DELETE FROM churn WHERE id % 10 <> 0;""");
        pg.psql("jicofo", "VACUUM churn");
        try {
            given().post("/api/maintenance").then().statusCode(401);
            given().auth().oauth2(OidcTokens.withRoles(OidcTokens.OPERATOR)).post("/api/maintenance").then().statusCode(403);
            JsonPath r = given().auth().oauth2(OidcTokens.withRoles(OidcTokens.ADMIN)).post("/api/maintenance").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(r.getBoolean("ok")).as(r.prettify()).isTrue();
            List<Map<String, Object>> actions = r.getList("actions");
            assertThat(actions).anySatisfy(a -> {
                assertThat(a).containsEntry("database", "prosody").containsEntry("action", "cleanup");
                assertThat((String) a.get("detail")).isEqualTo("3 rows removed");
            });
            assertThat(actions).filteredOn(a -> "vacuum-analyze".equals(a.get("action"))).hasSize(2);
            assertThat(actions).filteredOn(a -> "reindex".equals(a.get("action")))
                    .singleElement().satisfies(a -> assertThat((String) a.get("detail")).startsWith("public.churn_pkey"));
            assertThat(actions).anySatisfy(a -> assertThat(a).containsEntry("database", "prosody").containsEntry("action", "measure-bloat")
                    .extractingByKey("detail").asString().contains("pgstattuple is not installed"));
            assertThat(pg.psql("prosody", "SELECT count(*) FROM prosody WHERE store = 'expired-session'").trim()).isEqualTo("0");
            given().get("/api/maintenance").then().statusCode(200).body("[0].ok", org.hamcrest.Matchers.equalTo(true));
        } finally {
            pg.psql("jicofo", "DROP TABLE IF EXISTS churn; DROP EXTENSION IF EXISTS pgstattuple");
        }
    }
}
