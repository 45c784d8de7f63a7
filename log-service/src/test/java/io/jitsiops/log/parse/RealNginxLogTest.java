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
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jitsiops.testkit.server.DebianPackages;
import io.jitsiops.testkit.server.Ports;

/** Debian's nginx writes its access (combined) and error logs; the parsers read them back. */
class RealNginxLogTest {
    @TempDir
    Path dir;

    @Test
    void parsesWhatARealNginxWroteForA200A404AndA502FromADeadUpstream() throws Exception {
        DebianPackages.require("nginx", "/usr/sbin/nginx");
        int port = Ports.free();
        int deadUpstream = Ports.free();
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "daemon off;", "master_process off;", "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + " info;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log " + dir.resolve("logs/access.log") + " combined;",
                "  client_body_temp_path " + dir.resolve("tmp") + ";",
                "  proxy_temp_path " + dir.resolve("tmp") + ";",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    server_name meet.jitsi;",
                "    location = / { return 200 'ok'; }",
                "    location /http-bind { proxy_pass http://127.0.0.1:" + deadUpstream + "/http-bind; }",
                "  }",
                "}", ""));
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-c", dir.resolve("nginx.conf").toString(), "-p", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/missing"))
                    .header("Referer", "https://meet.jitsi/room").build(), HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/http-bind?room=r1"))
                    .POST(HttpRequest.BodyPublishers.ofString("<body/>")).build(), HttpResponse.BodyHandlers.discarding());
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(dir.resolve("logs/access.log")).contains(" 502 "));
        } finally {
            nginx.destroy();
            nginx.waitFor();
        }
        List<LogEntry> access = TextAnalysisInput.parse("nginx", new NginxAccessLogParser(),
                Files.readAllBytes(dir.resolve("logs/access.log")), 65536, 65536);
        assertThat(access).allMatch(LogEntry::parsed);
        LogEntry notFound = access.stream().filter(e -> "404".equals(e.fields().get("status"))).findFirst().orElseThrow();
        assertThat(notFound.fields()).containsEntry("method", "GET").containsEntry("path", "/missing")
                .containsEntry("client", "127.0.0.1").containsEntry("referrer", "https://meet.jitsi/room");
        assertThat(notFound.level()).isEqualTo(Level.WARN);
        LogEntry bad = access.stream().filter(e -> "502".equals(e.fields().get("status"))).findFirst().orElseThrow();
        assertThat(bad.level()).isEqualTo(Level.ERROR);
        assertThat(bad.fields()).containsEntry("method", "POST").containsEntry("path", "/http-bind?room=r1");

        List<LogEntry> errors = TextAnalysisInput.parse("nginx", new NginxErrorLogParser(ZoneId.systemDefault()),
                Files.readAllBytes(dir.resolve("logs/error.log")), 65536, 65536);
        assertThat(errors).allMatch(LogEntry::parsed);
        LogEntry refused = errors.stream().filter(e -> e.message().contains("Connection refused")).findFirst().orElseThrow();
        assertThat(refused.level()).isEqualTo(Level.ERROR);
        assertThat(refused.thread()).matches("\\d+#\\d+");
        assertThat(refused.fields()).containsEntry("client", "127.0.0.1").containsEntry("server", "meet.jitsi")
                .containsEntry("request", "POST /http-bind?room=r1 HTTP/1.1")
                .containsEntry("upstream", "http://127.0.0.1:" + deadUpstream + "/http-bind?room=r1");
        assertThat(refused.message()).contains("while connecting to upstream");
        assertThat(refused.timestamp()).isBetween(Clock.systemUTC().instant().minusSeconds(120), Clock.systemUTC().instant());
    }
}
