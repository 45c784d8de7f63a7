package io.jitsiops.log.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.log.parse.LogEntry;

/**
 * Writes the entries topic's record values ({@link ShippedEntry}'s JSON, the same fields in the same order, byte for
 * byte what databind writes: {@code EntryRecordsTest}) straight into one reused byte buffer per tailer, instead of a
 * record object and a databind pass per entry. The fields shared by every entry of a file (component, format, file,
 * identity) are encoded once per generation (by Jackson) into one piece of bytes copied into each record; field names
 * are constant bytes; a string value that is ASCII is copied char by char with JSON's short escapes
 * ({@code \" \\ \b \t \n \f \r}, {@code \}{@code u00XX} for the other control characters, as Jackson's
 * {@code CharTypes} table does), and only a string holding a non-ASCII character is handed to a Jackson generator of
 * its own (its UTF-8 and surrogate handling, not a hand-written one); a parsed exception chain (a few entries in a
 * hundred) goes through databind. Hand-written because the tail-to-Kafka profile had writing these values at a third
 * of the service's samples with Jackson's streaming generator, whose per-call context checks (some 25 calls per entry)
 * weighed as much as the characters. Not thread-safe: one per tailer thread, used by one thread at a time.
 */
final class EntryRecords {
    private static final byte[] POSITION = ascii("\"position\":");
    private static final byte[] END = ascii(",\"end\":");
    private static final byte[] PARSED_TRUE = ascii(",\"parsed\":true,\"timestamp\":");
    private static final byte[] PARSED_FALSE = ascii(",\"parsed\":false,\"timestamp\":");
    private static final byte[] LEVEL = ascii(",\"level\":");
    private static final byte[] RAW_LEVEL = ascii(",\"rawLevel\":");
    private static final byte[] THREAD = ascii(",\"thread\":");
    private static final byte[] CONTEXT = ascii(",\"context\":");
    private static final byte[] LOGGER = ascii(",\"logger\":");
    private static final byte[] MESSAGE = ascii(",\"message\":");
    private static final byte[] STACK_TRACE = ascii(",\"stackTrace\":");
    private static final byte[] EXCEPTION = ascii(",\"exception\":");
    private static final byte[] FIELDS = ascii(",\"fields\":");
    private static final byte[] TRUNCATED_TRUE = ascii(",\"truncated\":true,\"category\":");
    private static final byte[] TRUNCATED_FALSE = ascii(",\"truncated\":false,\"category\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /** Per ASCII character: 0 copied as is, -1 {@code \}{@code u00XX}, else the letter after the backslash. */
    private static final byte[] ESCAPES = escapes();
    private static final byte[][] LEVELS = levels();

    private final ObjectMapper json;
    private final String component;
    private final String format;
    private final String file;
    private byte[] buf = new byte[16 * 1024];
    private int n;
    private String fileKey;
    private String fingerprint;
    private int fingerprintLength = -1;
    /**
     * The fields every entry of the current generation shares, component … fingerprintLength, as the UTF-8 bytes of
     * {@code {"component":…,"fingerprintLength":N,}: copied at the start of each value.
     */
    private byte[] generationFields;
    /** Writes the rare string holding a non-ASCII character, one root-level value at a time. */
    private final ByteArrayBuilder otherOut = new ByteArrayBuilder(1024);
    private final JsonGenerator other;

    EntryRecords(ObjectMapper json, String component, String format, String file) {
        try {
            this.other = json.getFactory().createGenerator(otherOut);
        } catch (IOException e) {
            throw new IllegalStateException(e); // an in-memory generator does not fail
        }
        other.setRootValueSeparator(null);
        this.json = json;
        this.component = component;
        this.format = format;
        this.file = file;
    }

    /** The JSON of one entry of the file generation {@code fileKey} + {@code fingerprint}. */
    byte[] write(LogEntry e, String fileKey, String fingerprint, int fingerprintLength, String category) throws IOException {
        if (fingerprintLength != this.fingerprintLength || !fileKey.equals(this.fileKey) || !fingerprint.equals(this.fingerprint)) {
            generationFields = generationFields(fileKey, fingerprint, fingerprintLength);
            this.fileKey = fileKey;
            this.fingerprint = fingerprint;
            this.fingerprintLength = fingerprintLength;
        }
        n = 0;
        raw(generationFields);
        raw(POSITION);
        number(e.position());
        raw(END);
        number(e.end());
        raw(e.parsed() ? PARSED_TRUE : PARSED_FALSE);
        if (e.timestamp() == null) {
            raw(NULL);
        } else {
            timestamp(e.timestamp()); // ISO-8601 as Jackson's InstantSerializer (Instant.toString) writes it
        }
        raw(LEVEL);
        raw(LEVELS[e.level().ordinal()]);
        raw(RAW_LEVEL);
        string(e.rawLevel());
        raw(THREAD);
        string(e.thread());
        raw(CONTEXT);
        map(e.context());
        raw(LOGGER);
        string(e.logger());
        raw(MESSAGE);
        string(e.message());
        raw(STACK_TRACE);
        string(e.stackTrace());
        raw(EXCEPTION);
        if (e.exception() == null) {
            raw(NULL);
        } else {
            raw(json.writeValueAsBytes(e.exception()));
        }
        raw(FIELDS);
        map(e.fields());
        raw(e.truncated() ? TRUNCATED_TRUE : TRUNCATED_FALSE);
        string(category);
        ensure(1);
        buf[n++] = '}';
        return Arrays.copyOf(buf, n);
    }

    /**
     * The shared fields written once by a generator of their own (Jackson's escaping, not a hand-written one), then
     * cut out of their object: {@code {"component":…,"fingerprintLength":N}} becomes {@code {"component":…,N,}.
     */
    private byte[] generationFields(String fileKey, String fingerprint, int fingerprintLength) throws IOException {
        ByteArrayBuilder piece = new ByteArrayBuilder(256);
        try (JsonGenerator p = json.getFactory().createGenerator(piece)) {
            p.writeStartObject();
            p.writeStringField("component", component);
            p.writeStringField("format", format);
            p.writeStringField("file", file);
            p.writeStringField("fileKey", fileKey);
            p.writeStringField("fingerprint", fingerprint);
            p.writeNumberField("fingerprintLength", fingerprintLength);
            p.writeEndObject();
        }
        byte[] object = piece.toByteArray();
        object[object.length - 1] = ',';
        return object;
    }

    private void ensure(int more) {
        if (n + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
        }
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, n, bytes.length);
        n += bytes.length;
    }

    private void number(long v) {
        if (v < 0) {
            raw(ascii(Long.toString(v))); // never a file position; written right all the same
            return;
        }
        ensure(20);
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = n + digits;
        for (int i = end - 1; i >= n; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        n = end;
    }

    /** A JSON string (or null): ASCII copied with JSON's escapes; a string with any other character through Jackson. */
    private void string(String s) throws IOException {
        if (s == null) {
            raw(NULL);
            return;
        }
        int len = s.length();
        ensure(len + 2);
        byte[] b = buf;
        int p = n;
        b[p++] = '"';
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 128 || ESCAPES[c] != 0) {
                escaped(s, i, p);
                return;
            }
            b[p++] = (byte) c;
        }
        b[p++] = '"';
        n = p;
    }

    /** The rest of {@code s} from {@code from}, written from {@code p}: some character needs an escape, or is not ASCII. */
    private void escaped(String s, int from, int p) throws IOException {
        int len = s.length();
        for (int i = from; i < len; i++) {
            if (s.charAt(i) >= 128) { // (the value written from its start: n is still before its quote)
                other.writeString(s);
                other.flush();
                int size = otherOut.size();
                ensure(size);
                if (size == otherOut.getCurrentSegmentLength()) {
                    System.arraycopy(otherOut.getCurrentSegment(), 0, buf, n, size);
                } else {
                    System.arraycopy(otherOut.toByteArray(), 0, buf, n, size); // more than one segment
                }
                n += size;
                otherOut.reset();
                return;
            }
        }
        n = p; // the ASCII written so far stays
        ensure(6 * (len - from) + 1);
        byte[] b = buf;
        for (int i = from; i < len; i++) {
            char c = s.charAt(i);
            byte escape = ESCAPES[c];
            if (escape == 0) {
                b[p++] = (byte) c;
            } else if (escape > 0) {
                b[p++] = '\\';
                b[p++] = escape;
            } else {
                b[p++] = '\\';
                b[p++] = 'u';
                b[p++] = '0';
                b[p++] = '0';
                b[p++] = HEX[c >> 4];
                b[p++] = HEX[c & 0xF];
            }
        }
        b[p++] = '"';
        n = p;
    }

    private static byte[] escapes() {
        byte[] t = new byte[128];
        for (int c = 0; c < 0x20; c++) {
            t[c] = -1;
        }
        t['"'] = '"';
        t['\\'] = '\\';
        t['\b'] = 'b';
        t['\t'] = 't';
        t['\n'] = 'n';
        t['\f'] = 'f';
        t['\r'] = 'r';
        return t;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] levels() {
        io.jitsiops.log.parse.Level[] all = io.jitsiops.log.parse.Level.values();
        byte[][] names = new byte[all.length][];
        for (io.jitsiops.log.parse.Level l : all) {
            names[l.ordinal()] = ascii('"' + l.name() + '"');
        }
        return names;
    }

    private long isoSecond = Long.MIN_VALUE;
    private byte[] isoPrefix; // '"' + "yyyy-MM-ddTHH:mm:ss" of isoSecond

    /**
     * {@link Instant#toString()}'s text (ISO_INSTANT: the fraction in groups of three digits, none when zero), quoted.
     * {@code Instant.toString} builds it through a DateTimeFormatter and a LocalDateTime per entry; consecutive
     * entries share their second, so its text is made once a second and only the fraction is written.
     */
    private void timestamp(Instant t) throws IOException {
        long second = t.getEpochSecond();
        if (second != isoSecond) {
            String full = Instant.ofEpochSecond(second).toString(); // "…:ss" + "Z"
            if (full.length() != 20 || full.charAt(19) != 'Z') {
                string(t.toString()); // a year outside 0000–9999: not cached
                return;
            }
            isoPrefix = ascii('"' + full.substring(0, 19));
            isoSecond = second;
        }
        raw(isoPrefix);
        ensure(12);
        int nano = t.getNano();
        if (nano != 0) {
            buf[n++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                digits(nano / 1000, 6);
            } else {
                digits(nano, 9);
            }
        }
        buf[n++] = 'Z';
        buf[n++] = '"';
    }

    private void digits(int value, int width) {
        for (int i = n + width - 1; i >= n; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        n += width;
    }

    /** The text {@link #timestamp} writes for {@code t}, unquoted (for tests). */
    String iso(Instant t) throws IOException {
        n = 0;
        timestamp(t);
        return new String(buf, 1, n - 2, StandardCharsets.US_ASCII);
    }

    /** Context and field names recur in every entry (confId, meeting_id, status…): each encoded once, a few hundred at most. */
    private final Map<String, byte[]> names = new java.util.HashMap<>();

    /** {@code "key":}, with the comma before it unless first. */
    private byte[] name(String key) throws IOException {
        byte[] name = names.get(key);
        if (name == null) {
            int start = n;
            string(key);
            ensure(1);
            buf[n++] = ':';
            name = Arrays.copyOfRange(buf, start, n);
            n = start;
            if (names.size() < 512) {
                names.put(key, name);
            }
        }
        return name;
    }

    /**
     * The names of the previous map's fields by their place: a file's entries repeat their context keys in the same
     * order ({@code confId conf_name meeting_id epId stats_id}), and one {@code String.equals} against the key at the
     * same place (an identity check: the parser reuses the key's String) is cheaper than a look-up by hash.
     */
    private static final int RECENT = 8;
    private final String[] recentKeys = new String[RECENT];
    private final byte[][] recentNames = new byte[RECENT][];

    private void map(Map<String, String> m) throws IOException {
        if (m == null) {
            raw(NULL);
            return;
        }
        ensure(1);
        buf[n++] = '{';
        if (!m.isEmpty()) { // most entries have no fields: skip the (empty) Map.of()'s iterator
            int i = 0;
            for (Map.Entry<String, String> kv : m.entrySet()) {
                String key = kv.getKey();
                byte[] name;
                if (i < RECENT && key.equals(recentKeys[i])) {
                    name = recentNames[i];
                } else {
                    name = name(key);
                    if (i < RECENT) {
                        recentKeys[i] = key;
                        recentNames[i] = name;
                    }
                }
                if (i > 0) {
                    ensure(1);
                    buf[n++] = ',';
                }
                raw(name);
                string(kv.getValue());
                i++;
            }
        }
        ensure(1);
        buf[n++] = '}';
    }
}
