package io.jitsiops.alert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.jitsiops.testkit.server.DebianPackages;
import io.jitsiops.testkit.server.LocalServer;
import io.jitsiops.testkit.server.Probes;

/**
 * A real Prometheus (Debian's {@code prometheus}) with one alerting rule that fires at once, configured with
 * jitsi-ops as its Alertmanager (v2 API, bearer token from {@code alerting.alertmanagers[].authorization}).
 */
final class PrometheusServer extends LocalServer {
    static final String BINARY = "/usr/bin/prometheus";
    private final int port;
    private final String alertmanager;
    private final String token;

    PrometheusServer(Path dir, int port, String alertmanagerHostPort, String token) {
        super("prometheus", dir);
        this.port = port;
        this.alertmanager = alertmanagerHostPort;
        this.token = token;
    }

    @Override
    protected void prepare() throws IOException {
        DebianPackages.require("prometheus", BINARY);
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: jitsi-ops-test
                    interval: 1s
                    rules:
                      - alert: PrometheusRuleFired
                        expr: vector(1)
                        labels: {severity: warning, component: prom, target: p1}
                        annotations: {summary: "A Prometheus rule fired", description: "Sent by a real Prometheus."}
                """);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  evaluation_interval: 1s
                rule_files: [rules.yml]
                alerting:
                  alertmanagers:
                    - api_version: v2
                      authorization: {credentials: %s}
                      static_configs:
                        - targets: ['%s']
                """.formatted(token, alertmanager));
    }

    @Override
    protected List<String> command() {
        return List.of(BINARY, "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--rules.alert.resend-delay=1s");
    }

    @Override
    public boolean ready() {
        return Probes.httpStatus("http://127.0.0.1:" + port + "/-/ready") == 200;
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }
}
