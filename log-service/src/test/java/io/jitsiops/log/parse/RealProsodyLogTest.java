package io.jitsiops.log.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jitsiops.testkit.server.DebianPackages;
import io.jitsiops.testkit.server.Ports;

/** Debian's prosody 0.12 writes its log file (the file sink, with timestamps); the prosody parser reads it. */
class RealProsodyLogTest {

    @Test
    void parsesTheLogFileOfARealProsodyServingABoshSession() throws Exception {
        DebianPackages.require("prosody", "/usr/bin/prosody");
        Path dir = Files.createTempDirectory("prosody-log-test-");
        int http = Ports.free();
        int c2s = Ports.free();
        Path log = dir.resolve("prosody.log");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("prosody.cfg.lua"), String.join("\n",
                "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
                "data_path = \"" + dir.resolve("data") + "\"",
                "log = { debug = \"" + log + "\" }",
                "interfaces = { \"127.0.0.1\" }",
                "c2s_ports = { " + c2s + " }",
                "c2s_interfaces = { \"127.0.0.1\" }",
                "http_ports = { " + http + " }",
                "http_interfaces = { \"127.0.0.1\" }",
                "https_ports = { }",
                "modules_enabled = { \"bosh\"; \"disco\"; \"saslauth\"; \"http\" }",
                "modules_disabled = { \"s2s\"; \"posix\" }",
                "consider_bosh_secure = true",
                "c2s_require_encryption = false",
                "authentication = \"anonymous\"",
                "VirtualHost \"meet.jitsi\"", ""));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            new ProcessBuilder("chown", "-R", "prosody", dir.toString()).inheritIO().start().waitFor();
            new ProcessBuilder("chmod", "755", dir.toString()).start().waitFor();
        }
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("runuser", "-u", "prosody", "--"));
        }
        cmd.addAll(List.of("/usr/bin/prosody", "--config", dir.resolve("prosody.cfg.lua").toString()));
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Process prosody = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            String body = "<body rid='1000' to='meet.jitsi' wait='10' hold='1' ver='1.6' xml:lang='en' "
                    + "xmpp:version='1.0' xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'/>";
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/http-bind"))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("sid="));
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(log).contains("New BOSH session"));
        } finally {
            prosody.destroy();
            prosody.waitFor();
        }
        List<LogEntry> entries = TextAnalysisInput.parse("prosody", new ProsodyLogParser(ZoneId.systemDefault(), Clock.systemUTC()),
                Files.readAllBytes(log), 65536, 65536);
        assertThat(entries).isNotEmpty().allMatch(LogEntry::parsed, "every line of a real prosody log parses");
        LogEntry bosh = entries.stream().filter(e -> e.message().startsWith("New BOSH session, assigned it sid '"))
                .findFirst().orElseThrow();
        assertThat(bosh.logger()).isEqualTo("mod_bosh");
        assertThat(bosh.level()).isEqualTo(Level.INFO);
        assertThat(bosh.timestamp()).isBetween(started.minusSeconds(1), Instant.now());
        assertThat(entries).anyMatch(e -> e.level() == Level.DEBUG);
    }
}
