package io.jitsiops.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real prosody (Debian's package) serving BOSH and websocket on loopback for one virtual host, with
 * anonymous login: the XMPP server of a Jitsi deployment, for checks that must meet the real thing. Like
 * PostgreSQL, it runs as its own user when we are root.
 * <p>
 * Laid out as jitsi-meet's prosody configuration (jitsi/jitsi-meet {@code doc/debian/jitsi-meet-prosody/
 * prosody.cfg.lua-jvb.example}, docker-jitsi-meet {@code prosody/rootfs/defaults/conf.d/jitsi-meet.cfg.lua}): the
 * anonymous guest host {@code DOMAIN}, the conference MUC component {@code conference.DOMAIN} (rooms unlocked at
 * creation, occupants' real JIDs visible, as jicofo needs), and the {@code auth.DOMAIN} host where jicofo logs in as
 * {@code focus} (registered with {@code prosodyctl register}, as the Jitsi packages do). A second registered user
 * on {@code auth.DOMAIN} stands for a "secure domain" account (password login) of the conference probe.
 */
public final class ProsodyServer extends LocalServer {
    public static final String USER = "prosody";
    /** jicofo's account on the auth host (jicofo.xmpp.client.username), as the Jitsi packages register it. */
    public static final String FOCUS_USER = "focus";
    /** Local test password of {@link #FOCUS_USER}; a test-only value on a loopback server, not a secret. */
    public static final String FOCUS_PASSWORD = "focus-local-password";
    /** A password account on the auth host, for probes of a "secure domain" deployment. */
    public static final String PROBE_USER = "jitsi-ops-probe";
    /** Local test password of {@link #PROBE_USER}. */
    public static final String PROBE_PASSWORD = "probe-local-password";
    private final int httpPort;
    private final int c2sPort;
    private final String domain;

    public ProsodyServer(Path dir, int httpPort, int c2sPort, String domain) {
        super("prosody", dir);
        this.httpPort = httpPort;
        this.c2sPort = c2sPort;
        this.domain = domain;
        DebianPackages.require("prosody", "/usr/bin/prosody");
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String domain() {
        return domain;
    }

    /** The client-to-server (XMPP over TCP) port, where jicofo connects. */
    public int c2sPort() {
        return c2sPort;
    }

    /** The conference MUC component: {@code conference.DOMAIN}. */
    public String mucDomain() {
        return "conference." + domain;
    }

    /** The host of the registered accounts (jicofo's focus user): {@code auth.DOMAIN}. */
    public String authDomain() {
        return "auth." + domain;
    }

    @Override
    public String endpoint() {
        return httpUrl() + "/http-bind";
    }

    @Override
    public Path logFile() {
        return dir.resolveSibling(name + ".log");
    }

    @Override
    protected void prepare() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        write(dir.resolve("prosody.cfg.lua"), String.join("\n",
                "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
                "data_path = \"" + dir.resolve("data") + "\"",
                "certificates = \"" + dir.resolve("data") + "\"",
                "log = { info = \"*console\" }",
                "interfaces = { \"127.0.0.1\" }",
                "c2s_ports = { " + c2sPort + " }",
                "c2s_interfaces = { \"127.0.0.1\" }",
                "http_ports = { " + httpPort + " }",
                "http_interfaces = { \"127.0.0.1\" }",
                "https_ports = { }",
                "modules_enabled = { \"bosh\"; \"websocket\"; \"disco\"; \"saslauth\"; \"ping\"; \"http\" }",
                "modules_disabled = { \"s2s\"; \"posix\" }",
                "consider_bosh_secure = true",
                "consider_websocket_secure = true",
                "c2s_require_encryption = false",
                "authentication = \"anonymous\"",
                "VirtualHost \"" + domain + "\"",
                "VirtualHost \"" + authDomain() + "\"",
                "    authentication = \"internal_plain\"",
                "Component \"" + mucDomain() + "\" \"muc\"",
                "    muc_room_locking = false",
                "    muc_room_default_public_jids = true",
                ""));
        if (runningAsRoot()) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.toList()) {
                    giveTo(USER, p);
                }
            }
        }
        register(FOCUS_USER, FOCUS_PASSWORD);
        register(PROBE_USER, PROBE_PASSWORD);
    }

    private void register(String user, String password) throws IOException {
        run(asUser(USER, List.of("/usr/bin/prosodyctl", "--config", dir.resolve("prosody.cfg.lua").toString(),
                "register", user, authDomain(), password)), dir, java.time.Duration.ofSeconds(30));
    }

    @Override
    protected List<String> command() {
        return asUser(USER, List.of("/usr/bin/prosody", "--config", dir.resolve("prosody.cfg.lua").toString()));
    }

    @Override
    public boolean ready() {
        return Probes.httpStatus(httpUrl() + "/http-bind") == 200;
    }
}
