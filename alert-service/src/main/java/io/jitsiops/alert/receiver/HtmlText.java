package io.jitsiops.alert.receiver;

/** Text put into HTML (email bodies, Telegram's HTML mode), in element content or a quoted attribute value. */
public final class HtmlText {
    private HtmlText() {
    }

    public static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
