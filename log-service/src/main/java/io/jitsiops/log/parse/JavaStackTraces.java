package io.jitsiops.log.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what {@code Throwable.printStackTrace} writes: {@code cls: message}, {@code \tat frame} lines,
 * {@code \t... N more}, {@code Caused by: cls: message}, and skips {@code Suppressed:} blocks (indented one
 * tab deeper). Text that does not start like an exception gives null: it is a multi-line message.
 */
public final class JavaStackTraces {
    private JavaStackTraces() {
    }

    public static ExceptionInfo parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !looksLikeHeader(lines[0])) {
            return null;
        }
        List<Builder> chain = new ArrayList<>();
        Builder current = new Builder(lines[0]);
        chain.add(current);
        boolean inFrames = false;
        boolean inSuppressed = false;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("Caused by: ")) {
                current = new Builder(l.substring("Caused by: ".length()));
                chain.add(current);
                inFrames = false;
                inSuppressed = false;
            } else if (l.startsWith("\tSuppressed: ") || l.startsWith("\t\t")) {
                inSuppressed = true;
            } else if (inSuppressed) {
                // frames of a suppressed exception: not part of this chain
            } else if (isFrame(l)) {
                current.frames.add(l.stripLeading().substring(3));
                inFrames = true;
            } else if (l.stripLeading().startsWith("... ") && l.endsWith(" more")) {
                try {
                    String n = l.stripLeading();
                    current.omitted = Integer.parseInt(n.substring(4, n.length() - 5).trim());
                } catch (NumberFormatException e) {
                    current.omitted = 0;
                }
            } else if (!inFrames) {
                current.message = current.message == null ? l : current.message + "\n" + l;
            }
        }
        ExceptionInfo next = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Builder b = chain.get(i);
            next = new ExceptionInfo(b.className, b.message, b.frames, b.omitted, next);
        }
        return next;
    }

    /** {@code \tat frame}; frames published with the tab turned into spaces count too. */
    private static boolean isFrame(String l) {
        return !l.isEmpty() && Character.isWhitespace(l.charAt(0)) && l.stripLeading().startsWith("at ");
    }

    /** {@code java.net.SocketException: msg}, {@code org.x.FooError}, {@code kotlin.KotlinNullPointerException}. */
    static boolean looksLikeHeader(String line) {
        int colon = line.indexOf(':');
        String cls = colon < 0 ? line : line.substring(0, colon);
        if (cls.isEmpty() || cls.indexOf(' ') >= 0 || cls.indexOf('.') < 0) {
            return false;
        }
        for (int i = 0; i < cls.length(); i++) {
            char c = cls.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == '.')) {
                return false;
            }
        }
        return Character.isJavaIdentifierStart(cls.charAt(0));
    }

    private static final class Builder {
        final String className;
        String message;
        final List<String> frames = new ArrayList<>();
        int omitted;

        Builder(String header) {
            int colon = header.indexOf(": ");
            if (colon < 0) {
                className = header.endsWith(":") ? header.substring(0, header.length() - 1) : header;
                message = null;
            } else {
                className = header.substring(0, colon);
                message = header.substring(colon + 2);
            }
        }
    }
}
