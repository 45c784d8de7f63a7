package io.jitsiops.sim.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/**
 * Writes the simulated components' logs, a few ordinary lines per tick, and error bursts on demand.
 * Files are appended with one write per entry, so a tailer never sees half a stack trace from us
 * (it must still cope with that from real components).
 */
@ApplicationScoped
public class LogWriter {
    public static final Map<String, String> FILES = Map.of(
            "prosody", "prosody/prosody.log",
            "jicofo", "jitsi/jicofo.log",
            "jvb", "jitsi/jvb.log",
            "nginx", "nginx/access.log");

    private final Path dir;
    private final SimConfig config;
    private final AtomicLong ticks = new AtomicLong();

    public LogWriter(SimConfig config) {
        this.config = config;
        this.dir = Paths.get(config.logDir()).toAbsolutePath();
        FILES.values().forEach(f -> {
            try {
                Files.createDirectories(dir.resolve(f).getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create log folder under " + dir, e);
            }
        });
    }

    public Path file(String component) {
        String f = FILES.get(component);
        if (f == null) {
            throw new IllegalArgumentException("unknown log component '" + component + "', known: " + FILES.keySet());
        }
        return dir.resolve(f);
    }

    @Scheduled(every = "${jitsisim.log-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        ZonedDateTime now = LogFormats.now();
        long n = ticks.incrementAndGet();
        String sid = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        append("prosody", LogFormats.prosody(now, "bosh" + sid, "info", "New BOSH session, assigned it sid '" + sid + "'"));
        append("jicofo", LogFormats.jitsi("Jicofo", now, "INFO", 31, "JvbDoctor$HealthCheckTask.doHealthCheck#197",
                "Health check passed for jvb-1 (" + n + ")", null));
        append("jvb", LogFormats.jitsi("JVB", now, "INFO", 27, "HealthChecker.run#171",
                "Performed a successful health check in PT0.000" + (10 + n % 80) + "S. Sticky failure: false", null));
        append("nginx", LogFormats.nginxAccess(now, "10.0.0." + (1 + n % 200), "POST /http-bind?room=room-" + (n % 7)
                + " HTTP/1.1", 200, 300 + n % 500, "https://" + config.xmppDomain() + "/room-" + (n % 7),
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"));
    }

    /** Appends {@code count} error entries typical of the component (with Java stack traces for jicofo/jvb). */
    public void errorBurst(String component, int count) {
        for (int i = 0; i < count; i++) {
            ZonedDateTime now = LogFormats.now();
            switch (component) {
                case "prosody" -> append(component, LogFormats.prosody(now, "c2s55d4a9c2d5f0", "error",
                        "Traceback[c2s]: /usr/share/lua/5.4/prosody/util/xmppstream.lua:294: stanza too large"));
                case "jicofo" -> append(component, LogFormats.jitsi("Jicofo", now, "SEVERE", 42,
                        "[room=room-" + i + "@conference." + config.xmppDomain() + "] ColibriV2SessionManager.allocate#214",
                        "Failed to allocate channels on jvb-1", stackTrace("org.jivesoftware.smack.SmackException$NoResponseException",
                                "No response received within reply timeout. Timeout was 15000ms (~15s).",
                                List.of("org.jivesoftware.smack.SmackException$NoResponseException.newWith(SmackException.java:124)",
                                        "org.jivesoftware.smack.StanzaCollector.nextResultOrThrow(StanzaCollector.java:279)",
                                        "org.jitsi.jicofo.bridge.colibri.ColibriV2SessionManager.allocate(ColibriV2SessionManager.kt:214)",
                                        "java.base/java.lang.Thread.run(Thread.java:840)"))));
                case "jvb" -> append(component, LogFormats.jitsi("JVB", now, "WARNING", 77,
                        "[confId=" + Long.toHexString(i) + " epId=ep" + i + "] IceTransport.iceStateChanged#350",
                        "ICE failed, local ufrag " + Integer.toHexString(1000 + i), stackTrace("java.net.SocketTimeoutException",
                                "Connect timed out", List.of("org.ice4j.ice.Agent.checkListStatesUpdated(Agent.java:2063)",
                                        "org.ice4j.ice.ConnectivityCheckClient$PaceMaker.run(ConnectivityCheckClient.java:912)",
                                        "java.base/java.lang.Thread.run(Thread.java:840)"))));
                case "nginx" -> append(component, LogFormats.nginxAccess(now, "10.0.0.9", "POST /http-bind HTTP/1.1", 502,
                        157, "-", "Mozilla/5.0"));
                default -> throw new IllegalArgumentException("unknown log component '" + component + "'");
            }
        }
    }

    private static String stackTrace(String exception, String message, List<String> frames) {
        StringBuilder sb = new StringBuilder(exception).append(": ").append(message).append('\n');
        frames.forEach(f -> sb.append("\tat ").append(f).append('\n'));
        return sb.toString();
    }

    private synchronized void append(String component, String entry) {
        try {
            Files.writeString(file(component), entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(component), e);
        }
    }
}
