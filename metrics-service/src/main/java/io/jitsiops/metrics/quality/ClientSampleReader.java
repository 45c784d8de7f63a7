package io.jitsiops.metrics.quality;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads a {@code POST /api/video-metrics} batch — {@code {"samples": [ {...}, ... ]}} — strictly, one sample at a
 * time with Jackson's streaming parser (no object tree: a batch of thousands costs one pass). A bad sample is
 * rejected with the field and the reason; the good ones of the same batch are kept. Fields:
 * <pre>
 * room               required, 1..256 characters (the conference room, e.g. "standup@conference.meet.example")
 * participant        required, 1..128 characters (endpoint or stats id)
 * direction          required, "send" or "receive"
 * bitrateKbps        required, 0..1000000
 * packetLossPercent  required, 0..100
 * jitterMs           required, 0..60000
 * fps                optional, 0..240
 * resolution         optional, "WIDTHxHEIGHT", each 1..16384
 * rttMs              optional, 0..60000
 * timestamp          optional, ISO-8601 instant within 1 day before and 5 minutes after the server's clock
 * </pre>
 * Any other field is an error (a misspelt field is never silently ignored). {@code bitrateKbps} is the stream's video
 * bitrate; a browser shows a muted camera or a video stream no one receives only as bytes that stop growing, so 0 is
 * how a sample says "no video flows": such a sample counts for loss, jitter and RTT but not for the room's bitrate and
 * frame rate ({@link VideoSample#sendsVideo()}).
 */
public final class ClientSampleReader {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Set<String> DIRECTIONS = Set.of("send", "receive");

    public record Rejected(int index, String field, String reason) {
    }

    public record Batch(List<VideoSample> accepted, List<Rejected> rejected) {
    }

    /** The whole body is unusable (not JSON, not the batch shape, too many samples). */
    public static final class BadBatchException extends RuntimeException {
        public BadBatchException(String message) {
            super(message, null, false, false);
        }
    }

    private ClientSampleReader() {
    }

    public static Batch read(InputStream body, int maxSamples, Instant now) {
        List<VideoSample> accepted = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadBatchException("the body must be a JSON object {\"samples\": [...]}");
            }
            boolean seen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("samples")) {
                    throw new BadBatchException("unknown field '" + field + "' (the body has only \"samples\")");
                }
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw new BadBatchException("\"samples\" must be an array");
                }
                seen = true;
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (index >= maxSamples) {
                        throw new BadBatchException("more than " + maxSamples + " samples in one batch");
                    }
                    sample(p, index++, now, accepted, rejected);
                }
            }
            if (!seen) {
                throw new BadBatchException("missing \"samples\"");
            }
            if (p.nextToken() != null) {
                throw new BadBatchException("text after the JSON object");
            }
        } catch (JsonParseException e) {
            throw new BadBatchException("not valid JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new BadBatchException("unreadable body: " + e.getMessage());
        }
        return new Batch(accepted, rejected);
    }

    private static void sample(JsonParser p, int index, Instant now, List<VideoSample> accepted, List<Rejected> rejected)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            rejected.add(new Rejected(index, "(sample)", "must be a JSON object"));
            return;
        }
        String room = null;
        String participant = null;
        String direction = null;
        double bitrate = Double.NaN;
        double loss = Double.NaN;
        double jitter = Double.NaN;
        double fps = Double.NaN;
        double rtt = Double.NaN;
        int width = 0;
        int height = 0;
        Instant at = now;
        Rejected error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (error != null) {
                p.skipChildren();
                continue;
            }
            try {
                switch (field) {
                    case "room" -> room = text(p, t, 256);
                    case "participant" -> participant = text(p, t, 128);
                    case "direction" -> {
                        direction = text(p, t, 16);
                        if (!DIRECTIONS.contains(direction)) {
                            throw new IllegalArgumentException("must be \"send\" or \"receive\", got \"" + direction + "\"");
                        }
                    }
                    case "bitrateKbps" -> bitrate = number(p, t, 0, 1_000_000);
                    case "packetLossPercent" -> loss = number(p, t, 0, 100);
                    case "jitterMs" -> jitter = number(p, t, 0, 60_000);
                    case "fps" -> fps = number(p, t, 0, 240);
                    case "rttMs" -> rtt = number(p, t, 0, 60_000);
                    case "resolution" -> {
                        String r = text(p, t, 16);
                        int x = r.indexOf('x');
                        try {
                            width = x < 0 ? -1 : Integer.parseInt(r.substring(0, x));
                            height = x < 0 ? -1 : Integer.parseInt(r.substring(x + 1));
                        } catch (NumberFormatException e) {
                            width = -1;
                        }
                        if (width < 1 || height < 1 || width > 16384 || height > 16384) {
                            throw new IllegalArgumentException("must be WIDTHxHEIGHT with 1..16384 each, got \"" + r + "\"");
                        }
                    }
                    case "timestamp" -> {
                        String ts = text(p, t, 64);
                        try {
                            at = Instant.parse(ts);
                        } catch (DateTimeParseException e) {
                            throw new IllegalArgumentException("must be an ISO-8601 instant like 2026-11-29T08:00:00Z, got \"" + ts + "\"");
                        }
                        if (at.isAfter(now.plus(Duration.ofMinutes(5))) || at.isBefore(now.minus(Duration.ofDays(1)))) {
                            throw new IllegalArgumentException("must lie within 1 day before and 5 minutes after now, got " + ts);
                        }
                    }
                    default -> {
                        p.skipChildren();
                        throw new IllegalArgumentException("unknown field");
                    }
                }
            } catch (IllegalArgumentException e) {
                p.skipChildren();
                error = new Rejected(index, field, e.getMessage());
            }
        }
        if (error == null) {
            error = missing(index, room, "room");
        }
        if (error == null) {
            error = missing(index, participant, "participant");
        }
        if (error == null) {
            error = missing(index, direction, "direction");
        }
        if (error == null && Double.isNaN(bitrate)) {
            error = new Rejected(index, "bitrateKbps", "is required");
        }
        if (error == null && Double.isNaN(loss)) {
            error = new Rejected(index, "packetLossPercent", "is required");
        }
        if (error == null && Double.isNaN(jitter)) {
            error = new Rejected(index, "jitterMs", "is required");
        }
        if (error != null) {
            rejected.add(error);
            return;
        }
        accepted.add(new VideoSample(room, participant, direction, "client", null, at, bitrate, fps, width, height, loss, jitter, rtt));
    }

    private static Rejected missing(int index, String value, String field) {
        return value == null ? new Rejected(index, field, "is required") : null;
    }

    private static String text(JsonParser p, JsonToken t, int max) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("must be a string");
        }
        String s = p.getText();
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be blank");
        }
        if (s.length() > max) {
            throw new IllegalArgumentException("longer than " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException("contains a control character");
            }
        }
        return s;
    }

    private static double number(JsonParser p, JsonToken t, double min, double max) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IllegalArgumentException("must be a number");
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v) || v < min || v > max) {
            throw new IllegalArgumentException("must be within " + trim(min) + ".." + trim(max) + ", got " + p.getText());
        }
        return v;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
