package io.jitsiops.testkit;

import java.util.Map;

import io.jitsiops.testkit.server.SmtpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real SMTP server (GreenMail); what was sent can be read back over IMAP on {@code jitsiops.test.imap.port}. */
public class SmtpTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        SmtpServer smtp = LocalServers.smtp();
        return Map.of("JITSIOPS_SMTP_HOST", smtp.host(),
                "JITSIOPS_SMTP_PORT", String.valueOf(smtp.smtpPort()),
                "jitsiops.test.imap.port", String.valueOf(smtp.imapPort()));
    }

    @Override
    public void stop() {
        // stopped with the JVM by LocalServers
    }
}
