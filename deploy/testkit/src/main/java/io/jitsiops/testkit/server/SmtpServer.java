package io.jitsiops.testkit.server;

import java.nio.file.Path;
import java.util.List;

/** GreenMail standalone: a real SMTP server (and IMAP, to read what was sent) that accepts any login. */
public final class SmtpServer extends LocalServer {
    private final ProjectLayout layout;
    private final int smtpPort;
    private final int imapPort;
    private String host = "127.0.0.1";
    private String imapHost = "127.0.0.1";

    /** An SMTP server (and the IMAP server where its mail is read) that already run elsewhere, named by {@code variable}. */
    public static SmtpServer existing(String host, int smtpPort, String imapHost, int imapPort, String variable, Path dir) {
        SmtpServer smtp = new SmtpServer(null, dir, smtpPort, imapPort);
        smtp.host = host;
        smtp.imapHost = imapHost;
        smtp.existing(variable);
        return smtp;
    }

    public SmtpServer(ProjectLayout layout, Path dir, int smtpPort, int imapPort) {
        super("greenmail", dir);
        this.layout = layout;
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
    }

    public String host() {
        return host;
    }

    public String imapHost() {
        return imapHost;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int imapPort() {
        return imapPort;
    }

    @Override
    public String endpoint() {
        if (isExisting()) {
            return "smtp://" + host + ":" + smtpPort + " (imap " + imapHost + ":" + imapPort + ")";
        }
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
        if (isExisting()) {
            return Probes.tcpOpen(host, smtpPort) && Probes.tcpOpen(imapHost, imapPort);
        }
        return Probes.tcpOpen(smtpPort) && Probes.tcpOpen(imapPort);
    }
}
