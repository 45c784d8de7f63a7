package io.jitsiops.alert.receiver.email;

import io.jitsiops.alert.notify.Notification;

/** Opens the email receiver's package-private rendering to the tests of other packages. */
public final class EmailReceiverText {
    private EmailReceiverText() {
    }

    public static String text(Notification n) {
        return EmailReceiver.text(n);
    }

    public static String html(Notification n) {
        return EmailReceiver.html(n);
    }

    public static String subject(Notification n) {
        return EmailReceiver.subject(n);
    }
}
