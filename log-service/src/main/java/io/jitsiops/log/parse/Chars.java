package io.jitsiops.log.parse;

/** Small allocation-free checks the hand-written parsers share (they run on every line: no regex there). */
final class Chars {
    private Chars() {
    }

    static boolean digit(String s, int i) {
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return c >= '0' && c <= '9';
    }

    static boolean digits(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!digit(s, i)) {
                return false;
            }
        }
        return true;
    }

    static int num(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    static boolean at(String s, int i, char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    /** Month number 1..12 of an English three-letter abbreviation at {@code i}, or 0. */
    static int month(String s, int i) {
        if (i + 3 > s.length()) {
            return 0;
        }
        return switch (s.substring(i, i + 3)) {
            case "Jan" -> 1;
            case "Feb" -> 2;
            case "Mar" -> 3;
            case "Apr" -> 4;
            case "May" -> 5;
            case "Jun" -> 6;
            case "Jul" -> 7;
            case "Aug" -> 8;
            case "Sep" -> 9;
            case "Oct" -> 10;
            case "Nov" -> 11;
            case "Dec" -> 12;
            default -> 0;
        };
    }
}
