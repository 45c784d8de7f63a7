package io.jitsiops.log.tail;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.log.parse.LogEntry;

/**
 * Writes the entries topic's record values ({@link ShippedEntry}'s JSON, the same fields in the same order) with
 * one Jackson streaming generator per tailer instead of a record object and a databind pass per entry: the fields
 * shared by every entry of a file (component, format, file, identity) are encoded once per generation into one raw
 * piece of bytes copied into each record, and the generator and its buffer are reused. The tail-to-Kafka profile spent
 * more time building and serialising {@code ShippedEntry}s than parsing. Only a parsed exception chain (a few
 * entries in a hundred) still goes through databind. Not thread-safe: one per tailer, used by one thread at a time.
 */
final class EntryRecords {
    private static final SerializedString COMPONENT = new SerializedString("component");
    private static final SerializedString FORMAT = new SerializedString("format");
    private static final SerializedString FILE = new SerializedString("file");
    private static final SerializedString FILE_KEY = new SerializedString("fileKey");
    private static final SerializedString FINGERPRINT = new SerializedString("fingerprint");
    private static final SerializedString FINGERPRINT_LENGTH = new SerializedString("fingerprintLength");
    private static final SerializedString POSITION = new SerializedString("position");
    private static final SerializedString END = new SerializedString("end");
    private static final SerializedString PARSED = new SerializedString("parsed");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString LEVEL = new SerializedString("level");
    private static final SerializedString RAW_LEVEL = new SerializedString("rawLevel");
    private static final SerializedString THREAD = new SerializedString("thread");
    private static final SerializedString CONTEXT = new SerializedString("context");
    private static final SerializedString LOGGER = new SerializedString("logger");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString STACK_TRACE = new SerializedString("stackTrace");
    private static final SerializedString EXCEPTION = new SerializedString("exception");
    private static final SerializedString FIELDS = new SerializedString("fields");
    private static final SerializedString TRUNCATED = new SerializedString("truncated");
    private static final SerializedString CATEGORY = new SerializedString("category");

    private final ByteArrayBuilder out = new ByteArrayBuilder(16 * 1024);
    private final JsonGenerator g;
    private final SerializedString component;
    private final SerializedString format;
    private final SerializedString file;
    private final ObjectMapper json;
    private String fileKey;
    private String fingerprint;
    private int fingerprintLength = -1;
    /**
     * The fields every entry of the current generation shares, component … fingerprintLength, as the UTF-8 bytes of
     * {@code "component":…,"fingerprintLength":N,}: written raw right after the object's start, in one copy.
     */
    private SerializedString generationFields;
    private static final SerializedString[] LEVELS = levels();

    EntryRecords(ObjectMapper json, String component, String format, String file) {
        try {
            this.g = json.getFactory().createGenerator(out);
        } catch (IOException e) {
            throw new IllegalStateException(e); // an in-memory generator does not fail
        }
        g.setRootValueSeparator(null);
        this.json = json;
        this.component = new SerializedString(component);
        this.format = new SerializedString(format);
        this.file = new SerializedString(file);
    }

    /** The JSON of one entry of the file generation {@code fileKey} + {@code fingerprint}. */
    byte[] write(LogEntry e, String fileKey, String fingerprint, int fingerprintLength, String category) throws IOException {
        if (fingerprintLength != this.fingerprintLength || !fileKey.equals(this.fileKey) || !fingerprint.equals(this.fingerprint)) {
            generationFields = generationFields(fileKey, fingerprint, fingerprintLength);
            this.fileKey = fileKey;
            this.fingerprint = fingerprint;
            this.fingerprintLength = fingerprintLength;
        }
        g.writeStartObject();
        // The generator's object context still counts no field after this raw piece, so the first field it writes
        // next gets no separator: the piece ends with the comma itself.
        g.writeRaw(generationFields);
        g.writeFieldName(POSITION);
        g.writeNumber(e.position());
        g.writeFieldName(END);
        g.writeNumber(e.end());
        g.writeFieldName(PARSED);
        g.writeBoolean(e.parsed());
        g.writeFieldName(TIMESTAMP);
        if (e.timestamp() == null) {
            g.writeNull();
        } else {
            g.writeString(iso(e.timestamp())); // ISO-8601 as Jackson's InstantSerializer (Instant.toString) writes it
        }
        g.writeFieldName(LEVEL);
        g.writeString(LEVELS[e.level().ordinal()]);
        g.writeFieldName(RAW_LEVEL);
        g.writeString(e.rawLevel());
        g.writeFieldName(THREAD);
        g.writeString(e.thread());
        g.writeFieldName(CONTEXT);
        map(e.context());
        g.writeFieldName(LOGGER);
        g.writeString(e.logger());
        g.writeFieldName(MESSAGE);
        g.writeString(e.message());
        g.writeFieldName(STACK_TRACE);
        g.writeString(e.stackTrace());
        g.writeFieldName(EXCEPTION);
        if (e.exception() == null) {
            g.writeNull();
        } else {
            g.writeObject(e.exception());
        }
        g.writeFieldName(FIELDS);
        map(e.fields());
        g.writeFieldName(TRUNCATED);
        g.writeBoolean(e.truncated());
        g.writeFieldName(CATEGORY);
        g.writeString(category);
        g.writeEndObject();
        g.flush();
        byte[] value = Arrays.copyOf(out.getCurrentSegment(), out.getCurrentSegmentLength());
        if (out.size() != value.length) {
            value = out.toByteArray(); // more than one segment (a long stack trace)
        }
        out.reset();
        return value;
    }

    /**
     * The shared fields written once by a generator of their own (Jackson's escaping, not a hand-written one), then
     * cut out of their object: {@code {"component":…,"fingerprintLength":N}} becomes {@code "component":…,N,}.
     * The profile of the tail to Kafka showed these ~12 of ~40 generator calls per entry, each checking its context.
     */
    private SerializedString generationFields(String fileKey, String fingerprint, int fingerprintLength) throws IOException {
        ByteArrayBuilder piece = new ByteArrayBuilder(256);
        try (JsonGenerator p = json.getFactory().createGenerator(piece)) {
            p.writeStartObject();
            p.writeFieldName(COMPONENT);
            p.writeString(component);
            p.writeFieldName(FORMAT);
            p.writeString(format);
            p.writeFieldName(FILE);
            p.writeString(file);
            p.writeFieldName(FILE_KEY);
            p.writeString(fileKey);
            p.writeFieldName(FINGERPRINT);
            p.writeString(fingerprint);
            p.writeFieldName(FINGERPRINT_LENGTH);
            p.writeNumber(fingerprintLength);
            p.writeEndObject();
        }
        byte[] object = piece.toByteArray();
        String fields = new String(object, 1, object.length - 2, java.nio.charset.StandardCharsets.UTF_8);
        return new SerializedString(fields + ",");
    }

    private static SerializedString[] levels() {
        io.jitsiops.log.parse.Level[] all = io.jitsiops.log.parse.Level.values();
        SerializedString[] names = new SerializedString[all.length];
        for (io.jitsiops.log.parse.Level l : all) {
            names[l.ordinal()] = new SerializedString(l.name());
        }
        return names;
    }

    private long isoSecond = Long.MIN_VALUE;
    private String isoPrefix; // "yyyy-MM-ddTHH:mm:ss" of isoSecond
    private final StringBuilder isoText = new StringBuilder(32);

    /**
     * {@link Instant#toString()}'s text (ISO_INSTANT: the fraction in groups of three digits, none when zero).
     * {@code Instant.toString} builds it through a DateTimeFormatter and a LocalDateTime per entry; consecutive
     * entries share their second, so its text is made once a second and only the fraction is appended.
     */
    String iso(Instant t) {
        long second = t.getEpochSecond();
        if (second != isoSecond) {
            String full = Instant.ofEpochSecond(second).toString(); // "…:ss" + "Z"
            if (full.length() != 20 || full.charAt(19) != 'Z') {
                return t.toString(); // a year outside 0000–9999: not cached
            }
            isoPrefix = full.substring(0, 19);
            isoSecond = second;
        }
        int nano = t.getNano();
        if (nano == 0) {
            return isoPrefix.concat("Z");
        }
        StringBuilder b = isoText;
        b.setLength(0);
        b.append(isoPrefix).append('.');
        if (nano % 1_000_000 == 0) {
            digits(b, nano / 1_000_000, 3);
        } else if (nano % 1000 == 0) {
            digits(b, nano / 1000, 6);
        } else {
            digits(b, nano, 9);
        }
        return b.append('Z').toString();
    }

    private static void digits(StringBuilder b, int value, int width) {
        int start = b.length();
        for (int i = 0; i < width; i++) {
            b.append('0');
        }
        for (int i = start + width - 1; i >= start; i--) {
            b.setCharAt(i, (char) ('0' + value % 10));
            value /= 10;
        }
    }

    /** Context and field names recur in every entry (confId, meeting_id, status…): each encoded once, a few hundred at most. */
    private final Map<String, SerializedString> names = new java.util.HashMap<>();

    private SerializedString name(String key) {
        SerializedString n = names.get(key);
        if (n == null) {
            n = new SerializedString(key);
            if (names.size() < 512) {
                names.put(key, n);
            }
        }
        return n;
    }

    /**
     * The names of the previous map's fields by their place: a file's entries repeat their context keys in the same
     * order ({@code confId conf_name meeting_id epId stats_id}), and one {@code String.equals} against the key at the
     * same place is cheaper than the look-up by hash of a key just cut out of its line (its hash not yet computed):
     * the tail-to-Kafka profile had {@link #name}'s look-up at 7 % of the service's samples.
     */
    private static final int RECENT = 8;
    private final String[] recentKeys = new String[RECENT];
    private final SerializedString[] recentNames = new SerializedString[RECENT];

    private void map(Map<String, String> m) throws IOException {
        if (m == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        if (m.isEmpty()) { // most entries have no fields: skip the (empty) Map.of()'s iterator
            g.writeEndObject();
            return;
        }
        int i = 0;
        for (Map.Entry<String, String> kv : m.entrySet()) {
            String key = kv.getKey();
            SerializedString n;
            if (i < RECENT && key.equals(recentKeys[i])) {
                n = recentNames[i];
            } else {
                n = name(key);
                if (i < RECENT) {
                    recentKeys[i] = key;
                    recentNames[i] = n;
                }
            }
            g.writeFieldName(n);
            g.writeString(kv.getValue());
            i++;
        }
        g.writeEndObject();
    }
}
