package io.jitsiops.alert.rule;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher in Alertmanager's syntax: {@code name=value}, {@code name!=value}, {@code name=~regex},
 * {@code name!~regex}; the value may be double-quoted. Regular expressions are anchored, as in Alertmanager.
 * A missing label matches as the empty string (so {@code name!=x} matches an alert without {@code name}).
 */
public record Matcher(String name, Op op, String value) {
    public enum Op {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        /** As Alertmanager writes it: =, !=, =~ or !~. */
        public String symbol() {
            return symbol;
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");

    public Matcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if (op == Op.RE || op == Op.NRE) {
            Pattern.compile(value); // refuse a bad regex when the matcher is made, not when it is first used
        }
    }

    public static Matcher equal(String name, String value) {
        return new Matcher(name, Op.EQ, value);
    }

    /** Parses {@code name<op>value}; the message of the exception says what is wrong. */
    public static Matcher parse(String text) {
        String t = text == null ? "" : text.trim();
        int i = 0;
        while (i < t.length() && "=!~".indexOf(t.charAt(i)) < 0) {
            i++;
        }
        String name = t.substring(0, i).trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a matcher (label=value, label!=value, label=~regex or label!~regex)");
        }
        String rest = t.substring(i);
        Op op;
        if (rest.startsWith("=~")) {
            op = Op.RE;
        } else if (rest.startsWith("!~")) {
            op = Op.NRE;
        } else if (rest.startsWith("!=")) {
            op = Op.NEQ;
        } else if (rest.startsWith("=")) {
            op = Op.EQ;
        } else {
            throw new IllegalArgumentException("'" + text + "' has no operator (=, !=, =~, !~)");
        }
        String value = rest.substring(op.symbol.length()).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            return new Matcher(name, op, value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' has an invalid regular expression: " + e.getDescription());
        }
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (op) {
            case EQ -> actual.equals(value);
            case NEQ -> !actual.equals(value);
            case RE -> actual.matches(value);
            case NRE -> !actual.matches(value);
        };
    }

    public static boolean all(Iterable<Matcher> matchers, Map<String, String> labels) {
        for (Matcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + op.symbol + "\"" + value + "\"";
    }
}
