package io.jitsiops.testkit.server;

import java.nio.file.Path;
import java.util.List;

/** GreenMail standalone: a real SMTP server (and IMAP, to read what was sent) that accepts any login. */
public final class SmtpServer extends LocalServer {
    private final ProjectLayout layout;
    private final int smtpPort;
    private final int imapPort;

    public SmtpServer(ProjectLayout layout, Path dir, int smtpPort, int imapPort) {
        super("greenmail", dir);
        this.layout = layout;
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int imapPort() {
        return imapPort;
    }

    @Override
    public String endpoint() {
        return "smtp://127.0.0.1:" + smtpPort + " (imap " + imapPort + ")";
    }

    @Override
    protected List<String> command() {
        return List.of(ProjectLayout.javaBinary().toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dgreenmail.smtp.hostname=127.0.0.1", "-Dgreenmail.smtp.port=" + smtpPort,
                "-Dgreenmail.imap.hostname=127.0.0.1", "-Dgreenmail.imap.port=" + imapPort,
                "-Dgreenmail.auth.disabled", "-Dgreenmail.verbose",
                "-cp", layout.serverLib("greenmail") + "/*",
                "com.icegreen.greenmail.standalone.GreenMailStandaloneRunner");
    }

    @Override
    public boolean ready() {
        return Probes.tcpOpen(smtpPort) && Probes.tcpOpen(imapPort);
    }
}
