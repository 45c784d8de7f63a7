package io.jitsiops.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;

import org.eclipse.microprofile.config.ConfigProvider;

/** Reads a mailbox of the test GreenMail server back over IMAP (GreenMail accepts any password). */
final class Mailbox {
    record Mail(String subject, String text, String html, List<String> to) {
    }

    private Mailbox() {
    }

    static List<Mail> read(String user) {
        return read(user, null);
    }

    /**
     * The mails whose subject contains {@code subjectPart}, found by the IMAP server (SEARCH SUBJECT): only those are
     * fetched and parsed, not the whole mailbox every test class has written to.
     */
    static List<Mail> find(String user, String subjectPart) {
        return read(user, new jakarta.mail.search.SubjectTerm(subjectPart));
    }

    private static List<Mail> read(String user, jakarta.mail.search.SearchTerm term) {
        int port = ConfigProvider.getConfig().getValue("jitsiops.test.imap.port", Integer.class);
        Properties p = new Properties();
        p.put("mail.imap.connectiontimeout", "5000");
        p.put("mail.imap.timeout", "5000");
        List<Mail> mails = new ArrayList<>();
        try {
            Store store = Session.getInstance(p).getStore("imap");
            store.connect("127.0.0.1", port, user, "any");
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                for (Message m : term == null ? inbox.getMessages() : inbox.search(term)) {
                    String text = null;
                    String html = null;
                    Object content = m.getContent();
                    if (content instanceof Multipart mp) {
                        for (int i = 0; i < mp.getCount(); i++) {
                            BodyPart part = mp.getBodyPart(i);
                            Object c = part.getContent();
                            if (c instanceof Multipart inner) {
                                for (int j = 0; j < inner.getCount(); j++) {
                                    BodyPart ip = inner.getBodyPart(j);
                                    if (ip.isMimeType("text/plain")) {
                                        text = String.valueOf(ip.getContent());
                                    } else if (ip.isMimeType("text/html")) {
                                        html = String.valueOf(ip.getContent());
                                    }
                                }
                            } else if (part.isMimeType("text/plain")) {
                                text = String.valueOf(c);
                            } else if (part.isMimeType("text/html")) {
                                html = String.valueOf(c);
                            }
                        }
                    } else {
                        text = String.valueOf(content);
                    }
                    List<String> to = new ArrayList<>();
                    for (var a : m.getAllRecipients()) {
                        to.add(a.toString());
                    }
                    mails.add(new Mail(m.getSubject(), text, html, to));
                }
                inbox.close(false);
            } finally {
                store.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the mailbox of " + user + ": " + e, e);
        }
        return mails;
    }
}
