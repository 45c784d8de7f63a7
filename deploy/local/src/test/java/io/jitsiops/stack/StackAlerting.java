package io.jitsiops.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The alerting set-up of the stack test: the SHIPPED rules (alert-service's default-rules.yaml, read from the
 * source tree so that they never drift) with a routing tree of the test's own, and alert-service's extra receivers.
 */
final class StackAlerting {
    /** Critical jvb and jicofo alerts also go to Slack; the burst of scenario 6 goes to the webhook sink only. */
    static final String BURST_COMPONENT = "e2e-burst";
    /** Alerts acknowledged and silenced from the status page: to a webhook receiver that also gets resolved notices. */
    static final String PAGE_COMPONENT = "e2e-page";

    private StackAlerting() {
    }

    /**
     * The shipped rules with this routing tree: short group_wait and group_interval (a resolved notification leaves
     * at the group's next interval), Slack for critical jvb/jicofo alerts besides the email, the burst to the webhook sink.
     */
    static void writeRulesFile(Path root, Path file) throws IOException {
        String shipped = Files.readString(root.resolve("alert-service/src/main/resources/alerting/default-rules.yaml"));
        int route = shipped.indexOf("\nroute:");
        int inhibit = shipped.indexOf("\ninhibit_rules:");
        if (route < 0 || inhibit < route) {
            throw new IllegalStateException("default-rules.yaml no longer has 'route:' followed by 'inhibit_rules:'");
        }
        String tree = """

                route:
                  receiver: operators
                  group_by: [alertname, component, target]
                  group_wait: 2s
                  group_interval: 10s
                  repeat_interval: 4h
                  routes:
                    - receiver: sink
                      matchers: ['component=%s']
                    - receiver: pagehook
                      matchers: ['component=%s']
                    - receiver: slack
                      matchers: ['severity=critical', 'component=~"jvb|jicofo"']
                      continue: true
                    - receiver: operators
                """.formatted(BURST_COMPONENT, PAGE_COMPONENT);
        // Rejected room tokens (WARN lines of category auth-rejected) alert through the pack's room-token-rejections.
        Files.writeString(file, shipped.substring(0, route) + tree + shipped.substring(inhibit));
    }

    /**
     * Quarkus reads {@code config/application.properties} in a service's working folder (the stack runs each service in
     * its state folder): the Slack and webhook receivers, as alert-service's application.properties describes them,
     * their URLs from the environment; a short Kafka session so that a killed instance's partitions come back in seconds.
     */
    static void writeAlertServiceConfig(Path serviceDir) throws IOException {
        Files.createDirectories(serviceDir.resolve("config"));
        Files.writeString(serviceDir.resolve("config/application.properties"), String.join("\n",
                "jitsiops.alert.receivers.slack.type=slack",
                "jitsiops.alert.receivers.slack.url=${JITSIOPS_SLACK_WEBHOOK_URL}",
                // one message per alert group even when a whole shard's critical alerts queue behind Slack's 1/s (the
                // digest is alert-service's own tested behaviour; here each alert's messages are counted)
                "jitsiops.alert.receivers.slack.digest-after=100",
                "jitsiops.alert.receivers.sink.type=webhook",
                "jitsiops.alert.receivers.sink.url=${JITSIOPS_E2E_WEBHOOK_URL}",
                "jitsiops.alert.receivers.sink.send-resolved=false",
                "jitsiops.alert.receivers.pagehook.type=webhook",
                "jitsiops.alert.receivers.pagehook.url=${JITSIOPS_E2E_PAGE_WEBHOOK_URL}",
                "mp.messaging.incoming.events-in.session.timeout.ms=6000",
                "mp.messaging.incoming.events-in.heartbeat.interval.ms=1000", ""));
    }
}
