package io.jitsiops.stack;

import java.util.Properties;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;

/** The local stack's GreenMail mailbox read over IMAP, as an operator's mail client would (GreenMail takes any password). */
final class OperatorsMailbox {
    private OperatorsMailbox() {
    }

    /** The subject and text of the first mail whose subject and text together contain every one of {@code wanted}, or null. */
    static String firstContaining(int imapPort, String user, String... wanted) throws Exception {
        java.util.List<String> all = allContaining(imapPort, user, wanted);
        return all.isEmpty() ? null : all.get(0);
    }

    /** The subject and text of every mail whose subject and text together contain every one of {@code wanted}. */
    static java.util.List<String> allContaining(int imapPort, String user, String... wanted) throws Exception {
        java.util.List<String> found = new java.util.ArrayList<>();
        Properties p = new Properties();
        p.put("mail.imap.connectiontimeout", "5000");
        p.put("mail.imap.timeout", "5000");
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", imapPort, user, "any");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message m : inbox.getMessages()) {
                    String all = m.getSubject() + "\n" + text(m);
                    if (java.util.Arrays.stream(wanted).allMatch(all::contains)) {
                        found.add(all);
                    }
                }
                return found;
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    private static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return String.valueOf(part.getContent());
        }
        if (part.getContent() instanceof Multipart mp) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < mp.getCount(); i++) {
                b.append(text(mp.getBodyPart(i)));
            }
            return b.toString();
        }
        return "";
    }
}
