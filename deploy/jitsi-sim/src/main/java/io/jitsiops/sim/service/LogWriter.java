package io.jitsiops.sim.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.util.Map;
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
    private final ConferenceSimulator conferences;
    private volatile java.util.function.Consumer<String> jitsiErrors = c -> {
    };

    public LogWriter(SimConfig config, ConferenceSimulator conferences) {
        this.config = config;
        this.conferences = conferences;
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
        String sid = java.util.UUID.randomUUID().toString();
        // mod_bosh's session line (prosody plugins/mod_bosh.lua); the source column is the session's log name.
        append("prosody", LogFormats.prosody(now, "bosh" + sid.substring(0, 8), "info",
                "New BOSH session, assigned it sid '" + sid + "'"));
        append("nginx", LogFormats.nginxAccess(now, "10.0.0." + (1 + n % 200), "POST /http-bind?room=room-" + (n % 7)
                + " HTTP/1.1", 200, 300 + n % 500, "https://" + config.xmppDomain() + "/room-" + (n % 7),
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"));
        if (n % 5 == 0) {
            // Participants come and go; jicofo and the bridge log it through jitsi-utils (io.jitsiops.sim.jitsi).
            conferences.churn();
        }
    }

    /** An entry of the simulated JVB ("JVB") or jicofo ("Jicofo"), already formatted by JitsiLogFormatter. */
    public void appendJitsi(String program, String entry) {
        append("JVB".equals(program) ? "jvb" : "jicofo", entry);
    }

    /** Appends {@code count} error entries typical of the component (with stack traces or Lua tracebacks). */
    public void errorBurst(String component, int count) {
        for (int i = 0; i < count; i++) {
            ZonedDateTime now = LogFormats.now();
            switch (component) {
                // prosody 0.12 as docker-jitsi-meet runs it (recorded: docker-jitsi-meet issue #1487): the error, then
                // a Lua traceback indented by tabs.
                case "prosody" -> append(component, LogFormats.prosody(now, "modulemanager", "error",
                        "Error initializing module 'auth_cyrus' on '" + config.xmppDomain() + "': /prosody-plugins/"
                                + "mod_auth_cyrus.lua:20: attempt to call a nil value (field 'unlock_globals')\n"
                                + "\tstack traceback:\n"
                                + "\t/prosody-plugins/mod_auth_cyrus.lua:20: in main chunk\n"
                                + "\t[C]: in function 'util.xpcall.xpcall'\n"
                                + "\t/usr/share/lua/5.4/prosody/core/modulemanager.lua:270: in upvalue 'do_load_module'\n"
                                + "\t/usr/share/lua/5.4/prosody/core/modulemanager.lua:353: in function 'core.modulemanager.load'\n"
                                + "\t/usr/share/lua/5.4/prosody/core/usermanager.lua:97: in function 'core.usermanager.initialize_host'"));
                case "jicofo", "jvb" -> jitsiErrors.accept(component);
                case "nginx" -> append(component, LogFormats.nginxAccess(now, "10.0.0.9", "POST /http-bind HTTP/1.1", 502,
                        157, "-", "Mozilla/5.0"));
                default -> throw new IllegalArgumentException("unknown log component '" + component + "'");
            }
        }
    }

    /**
     * The reasons jitsi-meet's token verification gives (resources/prosody-plugins/token/util.lib.lua at e103757f and
     * luajwtjitsi.lib.lua at 3dbf5948): the signature does not verify, the token expired, the key of its kid cannot
     * be fetched from asap_key_server (a signing key rotated but not yet published), no kid, a foreign issuer.
     */
    public static final java.util.List<String> TOKEN_REJECTION_REASONS = java.util.List.of("Invalid signature",
            "Not acceptable by exp", "could not obtain public key", "'kid' claim is missing", "Invalid issuer ('iss' claim)");

    /**
     * A burst of rejected room tokens in prosody's log, as jitsi-meet's mod_auth_token writes them
     * (resources/prosody-plugins/mod_auth_token.lua at 489af0c7: {@code log("warn", "Error verifying token err:%s,
     * reason:%s", error, reason)}). That {@code log} is the module environment's fall-through to prosody's global
     * logger, so the source column is {@code general}, not the module's {@code host:auth_token}.
     *
     * @param reason one reason for every line, or null to cycle through {@link #TOKEN_REJECTION_REASONS}
     */
    public void tokenRejections(int count, String reason) {
        for (int i = 0; i < count; i++) {
            String why = reason != null ? reason : TOKEN_REJECTION_REASONS.get(i % TOKEN_REJECTION_REASONS.size());
            append("prosody", LogFormats.prosody(LogFormats.now(), "general", "warn",
                    "Error verifying token err:not-allowed, reason:" + why));
        }
    }

    /** Set by the Jitsi side: writes one JVB or jicofo error entry with a Java stack trace through jitsi-utils. */
    public void onJitsiError(java.util.function.Consumer<String> writer) {
        this.jitsiErrors = writer;
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
