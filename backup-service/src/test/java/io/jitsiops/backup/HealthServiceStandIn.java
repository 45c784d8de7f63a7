package io.jitsiops.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP endpoint answering health-service's {@code GET /api/health} in its format ({@code rest.HealthReport}),
 * about the process standing for prosody in the restore tests, as health-service's probes would see it: DOWN when
 * the process is not running, or when its configuration holds {@code BROKEN} (also the own check's marker) or
 * {@code BOSH-DOWN} (a fault only health-service's deeper check sees: the own probe still passes). Each answer is a
 * fresh check ({@code checkedAt} now). It can be stopped and started again on the same port (unreachable).
 */
public final class HealthServiceStandIn {
    private static HttpServer server;
    private static int port;

    private HealthServiceStandIn() {
    }

    public static synchronized String start() {
        if (server != null) {
            return "http://127.0.0.1:" + port;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            port = server.getAddress().getPort();
            server.createContext("/api/health", exchange -> {
                byte[] body = report().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return "http://127.0.0.1:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops answering: connections to the port are refused until {@link #start()}. */
    public static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    static String report() {
        String status = "UP";
        String error = "null";
        Path pid = BackupTestResource.root().resolve("prosody.pid");
        Path cfg = BackupTestResource.etc().resolve("prosody/conf.d/meet.jitsi.cfg.lua");
        try {
            // no process forked per answer: on a loaded machine that made an answer take seconds
            boolean running = Files.exists(pid) && ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
                    .map(ProcessHandle::isAlive).orElse(false);
            String config = Files.exists(cfg) ? Files.readString(cfg) : "";
            if (!running) {
                status = "DOWN";
                error = "\"connection refused\"";
            } else if (config.contains("BROKEN") || config.contains("BOSH-DOWN")) {
                status = "DOWN";
                error = "\"BOSH session refused: host-unknown\"";
            }
        } catch (IOException | NumberFormatException e) {
            status = "DOWN";
            error = "\"" + e.getClass().getSimpleName() + "\"";
        }
        String now = Instant.now().toString();
        return """
                {"status":"%s","checkedAt":"%s","checks":[
                 {"component":"prosody","target":"prosody-1","check":"bosh-session","status":"%s","latencyMs":3,"error":%s,
                  "since":"%s","checkedAt":"%s","measurements":{}},
                 {"component":"jvb","target":"jvb-1","check":"health","status":"UP","latencyMs":2,"error":null,
                  "since":"%s","checkedAt":"%s","measurements":{}}]}""".formatted(status, now, status, error, now, now, now, now);
    }
}
