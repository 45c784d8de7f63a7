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
 */
public final class ProsodyServer extends LocalServer {
    public static final String USER = "prosody";
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
                ""));
        if (runningAsRoot()) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.toList()) {
                    giveTo(USER, p);
                }
            }
        }
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
