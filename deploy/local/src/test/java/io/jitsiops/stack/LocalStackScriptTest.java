package io.jitsiops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.jitsiops.testkit.server.Probes;
import io.jitsiops.testkit.server.ProjectLayout;

/**
 * README command #1, end to end: {@code stack.sh up} starts the real servers, the simulator and the five
 * services and waits for their readiness; {@code status} shows them all ready; {@code up} again changes
 * nothing; {@code down} stops exactly what it started; the state survives. On its own ports (base 28000)
 * and state folder, so that it never touches a developer's running stack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackScriptTest {
    private static final int BASE = 28000;
    private static final Path ROOT = ProjectLayout.find().root();
    private static Path state;

    record Run(int exit, String output) {
    }

    @BeforeAll
    static void stateFolder() throws IOException {
        state = Files.createTempDirectory("jitsi-ops-stack-test-");
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void downAnyway() throws Exception {
        stack("down");
    }

    @Test
    @Order(1)
    void upStartsEverythingAndWaitsUntilEachPartIsReady() throws Exception {
        Run up = stack("up");
        assertThat(up.exit()).as(up.output()).isZero();
        for (String part : List.of("postgres", "kafka", "s3proxy", "greenmail", "jitsi-sim", "health-service",
                "metrics-service", "log-service", "backup-service", "alert-service")) {
            assertThat(up.output()).containsPattern("(?m)^" + part + "\\s+\\d+\\s+ready\\s");
        }
        for (int port = BASE + 101; port <= BASE + 105; port++) {
            assertThat(Probes.httpStatus("http://127.0.0.1:" + port + "/q/health/ready")).as("port " + port).isEqualTo(200);
        }
        assertThat(Probes.httpStatus("http://127.0.0.1:" + (BASE + 80) + "/jvb/jvb-1/about/health")).isEqualTo(200);
    }

    @Test
    @Order(2)
    void upAgainIsHarmlessAndStatusReportsAllReady() throws Exception {
        Run again = stack("up");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("kafka            already running");
        Run status = stack("status");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).doesNotContain("stopped").doesNotContain("starting");
    }

    @Test
    @Order(3)
    void statusPageShowsEveryComponentAndEveryPanelInARealBrowserOnLaptopAndPhone() throws Exception {
        try (StatusPageBrowser browser = new StatusPageBrowser()) {
            browser.open(statusPage());
            String grid = browser.waitForText("#grid", "jicofo", Duration.ofSeconds(30));
            assertThat(grid).contains("prosody").contains("jvb").containsPattern("UP|DEGRADED|DOWN");
            assertThat(browser.waitForText("#live", "Live:", Duration.ofSeconds(30))).doesNotContain("interrupted");
            for (String panel : List.of("#alerts", "#quality", "#backups", "#findings")) {
                assertThat(browser.waitUntilLoaded(panel + " .body", Duration.ofSeconds(30))).as(panel)
                        .doesNotContain("unavailable").doesNotContain("did not answer");
            }
            assertThat(browser.waitUntilLoaded("#backups .body", Duration.ofSeconds(5))).containsPattern("No backup yet|RPO");
            assertThat(browser.waitUntilLoaded("#findings .body", Duration.ofSeconds(5))).contains("in the last hour");
            // Keyboard: the first Tab lands on the skip link, whose target is the component grid.
            assertThat(browser.focusedAfterTab().getText()).isEqualTo("Skip to components");
            browser.screenshot("all-up-laptop");
            browser.resize(StatusPageBrowser.PHONE);
            assertThat(browser.waitForText("#grid", "jicofo", Duration.ofSeconds(10))).isNotBlank();
            browser.screenshot("all-up-phone");
        }
    }

    /**
     * The operability goal (issue 14, scenario 7) on the stack's own defaults: a bridge goes down through the
     * simulator's admin API and the first email reaches the operators' mailbox (GreenMail, read over IMAP). The
     * elapsed time is printed, not asserted; the README quotes it. The status page then shows the outage. In the
     * same wait (scenario 2), a conference on the other bridge loses 15 % of its packets for longer than the rule's
     * {@code for}: a critical packet-loss email naming its room.
     */
    @Test
    @Order(4)
    void aBridgeOutageAndAConferenceLosingPacketsReachTheOperatorsMailboxAndTheStatusPage() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        HttpResponse<String> fault = http.send(HttpRequest.newBuilder(URI.create(simulator() + "/admin/faults/jvb-1"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"kind\":\"DOWN\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fault.statusCode()).as(fault.body()).isBetween(200, 299);
        String conferences = http.send(HttpRequest.newBuilder(URI.create(simulator() + "/admin/conferences")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher onJvb2 = java.util.regex.Pattern
                .compile("\\{\"id\":\"([^\"]+)\",\"room\":\"([^\"]+)\",\"bridge\":\"jvb-2\"").matcher(conferences);
        assertThat(onJvb2.find()).as(conferences).isTrue();
        String lossy = onJvb2.group(1);
        String room = onJvb2.group(2);
        HttpResponse<String> degraded = http.send(HttpRequest.newBuilder(URI.create(simulator() + "/admin/conferences/" + lossy + "/degrade"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"packetLossPercent\":15}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(degraded.statusCode()).as(degraded.body()).isBetween(200, 299);
        try {
            String lossMail = null;
            String mail = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
            while (mail == null && System.nanoTime() < deadline) {
                mail = OperatorsMailbox.firstContaining(BASE + 143, "jitsi-ops@localhost", "jvb jvb-1 is DOWN");
                if (mail == null) {
                    Thread.sleep(5000);
                }
            }
            assertThat(mail).as("an email about jvb-1 being DOWN within 6 minutes").isNotNull();
            System.out.printf("[scenario] jvb-1 DOWN -> first email in the operators' mailbox after %d s%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
            assertThat(mail).contains("FIRING").contains("critical");
            while (lossMail == null && System.nanoTime() < deadline) {
                lossMail = OperatorsMailbox.firstContaining(BASE + 143, "jitsi-ops@localhost", "[critical]", "packet loss in " + room);
                if (lossMail == null) {
                    Thread.sleep(5000);
                }
            }
            assertThat(lossMail).as("a critical email about packet loss in " + room).isNotNull();
            System.out.printf("[scenario] 15%% packet loss in %s -> email after %d s%n", room,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
            try (StatusPageBrowser browser = new StatusPageBrowser()) {
                browser.open(statusPage());
                assertThat(browser.waitForText("#alerts .body", "jvb-1 is DOWN", Duration.ofSeconds(30))).contains("CRITICAL");
                assertThat(browser.waitForText("#grid", "DOWN", Duration.ofSeconds(30))).contains("jvb-1");
                browser.screenshot("jvb-1-down-laptop");
            }
        } finally {
            http.send(HttpRequest.newBuilder(URI.create(simulator() + "/admin/faults/jvb-1")).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(simulator() + "/admin/conferences/" + lossy + "/degrade"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"packetLossPercent\":0.2}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /**
     * Scenario 4 through the packaged stack: a backup to S3 (S3Proxy) is written, verified by a test restore and shown
     * on the status page with the RPO; with the S3 server killed, the next backup fails, is never listed as complete,
     * and the operators get a critical email.
     */
    @Test
    @Order(5)
    void aVerifiedBackupShowsOnThePageAndOneWhoseS3ServerIsGoneFailsLoudly() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String admin = adminToken(http);
        String backups = "http://127.0.0.1:" + (BASE + 104) + "/api/backups";
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(backups + "?wait=true"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schedule\":\"manual\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(first.body()).contains("\"status\":\"VERIFIED\"").containsPattern("\"remoteUri\":\"s3://");
        try (StatusPageBrowser browser = new StatusPageBrowser()) {
            browser.open(statusPage());
            assertThat(browser.waitForText("#backups .body", "RPO: newest verified backup", Duration.ofSeconds(30))).contains("verified");
            browser.screenshot("backup-verified-laptop");
        }

        String before = http.send(HttpRequest.newBuilder(URI.create(backups)).build(), HttpResponse.BodyHandlers.ofString()).body();
        long s3 = Long.parseLong(Files.readString(state.resolve("pids/s3proxy.pid")).trim().split("\\s+")[0]);
        ProcessHandle.of(s3).ifPresent(ProcessHandle::destroyForcibly);
        HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create(backups + "?wait=true"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schedule\":\"manual\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).as(second.body()).isEqualTo(500);
        assertThat(second.body()).contains("FAILED");
        java.util.regex.Matcher failedId = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(second.body());
        assertThat(failedId.find()).as(second.body()).isTrue();
        String listed = http.send(HttpRequest.newBuilder(URI.create(backups)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(listed).as("the failed backup is never listed as complete").doesNotContain(failedId.group(1));
        assertThat(listed.split("\"id\":").length).as(listed).isEqualTo(before.split("\"id\":").length);
        String mail = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (mail == null && System.nanoTime() < deadline) {
            mail = OperatorsMailbox.firstContaining(BASE + 143, "jitsi-ops@localhost", "The manual backup failed");
            if (mail == null) {
                Thread.sleep(3000);
            }
        }
        assertThat(mail).as("a critical email about the failed backup").isNotNull().contains("critical");
    }

    /** An access token of the simulated Janssen for role jitsi-ops-admin, as the operators' client gets one. */
    private static String adminToken(HttpClient http) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString(
                ("jitsi-ops:" + io.jitsiops.testkit.server.DeploymentFiles.SIMULATOR_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(simulator() + "/jans-auth/restv1/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=jitsi-ops&roles=jitsi-ops-admin")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body());
        assertThat(token.find()).as(answer.body()).isTrue();
        return token.group(1);
    }

    private static String simulator() {
        return "http://127.0.0.1:" + (BASE + 80);
    }

    @Test
    @Order(6)
    void statusPageSaysWhichServiceIsDownInsteadOfShowingABlankPanel() throws Exception {
        long alertService = Long.parseLong(Files.readString(state.resolve("pids/alert-service.pid")).trim().split("\\s+")[0]);
        ProcessHandle.of(alertService).ifPresent(ProcessHandle::destroyForcibly);
        try (StatusPageBrowser browser = new StatusPageBrowser()) {
            browser.open(statusPage());
            assertThat(browser.waitForText("#alerts .body", "alert-service is unavailable", Duration.ofSeconds(30)))
                    .contains("not reachable (connection refused)");
            assertThat(browser.waitUntilLoaded("#quality .body", Duration.ofSeconds(30))).doesNotContain("unavailable");
            assertThat(browser.waitForText("#grid", "jicofo", Duration.ofSeconds(30))).isNotBlank();
            browser.screenshot("alert-service-down-laptop");
        }
    }

    private static String statusPage() {
        return "http://127.0.0.1:" + (BASE + 101) + "/status/";
    }

    @Test
    @Order(7)
    void aServiceGivenAnInvalidDeploymentFileRefusesToStartNamingTheBadKey() throws Exception {
        Path bad = state.resolve("bad-deployment.yaml");
        Files.writeString(bad, "name: broken\njitsi:\n  jvb:\n    - name: jvb-1\n      url: jvb-1:8080\n");
        ProcessBuilder pb = new ProcessBuilder(ProjectLayout.javaBinary().toString(), "-jar",
                ROOT.resolve("health-service/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of("JITSIOPS_DEPLOYMENT_FILE", bad.toString(), "QUARKUS_HTTP_PORT", "0",
                "JITSIOPS_KAFKA_BOOTSTRAP", "127.0.0.1:" + (BASE + 92),
                "JITSIOPS_DB_REACTIVE_URL", "postgresql://127.0.0.1:" + (BASE + 432) + "/jitsiops",
                "JITSIOPS_DB_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + (BASE + 432) + "/jitsiops"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("jitsi.jvb[0].url: must be an absolute http(s) URL, got 'jvb-1:8080'");
    }

    @Test
    @Order(8)
    void downStopsExactlyTheProcessesItStartedAndKeepsTheState() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(state.resolve("pids"))) {
            for (Path f : files.toList()) {
                pids.add(Long.parseLong(Files.readString(f).trim().split("\\s+")[0]));
            }
        }
        assertThat(pids).hasSize(10);
        Run down = stack("down");
        assertThat(down.exit()).as(down.output()).isZero();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        assertThat(Probes.tcpOpen(BASE + 92)).isFalse();
        assertThat(state.resolve("kafka/data/meta.properties")).exists();
        assertThat(state.resolve("deployment.yaml")).exists();
        Run status = stack("status");
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.output()).contains("stopped");
    }

    private static Run stack(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("deploy/local/stack.sh").toString(), command)
                .redirectErrorStream(true);
        pb.environment().put("JITSIOPS_PORT_BASE", String.valueOf(BASE));
        pb.environment().put("JITSIOPS_STATE_DIR", state.toString());
        pb.environment().remove("JITSIOPS_DEPLOYMENT_FILE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("stack.sh " + command + " did not finish in 5 minutes:\n" + out);
        }
        return new Run(p.exitValue(), out);
    }
}
