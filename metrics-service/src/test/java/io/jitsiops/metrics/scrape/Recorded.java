package io.jitsiops.metrics.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads the recorded payloads (test resources recorded/, sources in the README there). */
public final class Recorded {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Recorded() {
    }

    public static String text(String path) {
        try (InputStream in = Recorded.class.getResourceAsStream("/recorded/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no recorded payload " + path, e);
        }
    }

    /** A colibri presence {@code <stat name='k' value='v'/>} list as the JSON object /colibri/stats renders of the same map. */
    public static ObjectNode presenceStats(String path) {
        ObjectNode o = JSON.createObjectNode();
        Matcher m = Pattern.compile("<stat name='([^']+)' value='([^']*)'/>").matcher(text(path).replaceAll("\\R", ""));
        while (m.find()) {
            String v = m.group(2);
            if (v.equals("true") || v.equals("false")) {
                o.put(m.group(1), Boolean.parseBoolean(v));
            } else if (v.matches("-?\\d+")) {
                o.put(m.group(1), Long.parseLong(v));
            } else if (v.matches("-?\\d+\\.\\d+(E-?\\d+)?")) {
                o.put(m.group(1), Double.parseDouble(v));
            } else {
                o.put(m.group(1), v);
            }
        }
        return o;
    }

    /** The complete top-level pairs of a cut JSON object: the text up to its last complete pair, closed. */
    public static ObjectNode jsonFragment(String path) {
        String t = text(path).trim();
        for (int cut = t.length(); cut > 1; cut = t.lastIndexOf(',', cut - 1)) {
            try {
                return (ObjectNode) JSON.readTree(t.substring(0, cut) + "}");
            } catch (IOException e) {
                // not at a pair boundary yet: one pair back
            }
        }
        throw new IllegalStateException("no complete pair in " + path);
    }

    public static ObjectNode json(String path) {
        try {
            return (ObjectNode) JSON.readTree(text(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
