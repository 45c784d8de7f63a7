package io.jitsiops.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Writes and reads events as CloudEvents 1.0 structured-mode JSON. Thread-safe; keep one per service.
 * <p>
 * Reading is strict about the envelope (spec version, required attributes, known type, JSON data) and
 * lenient about extra fields, so that a producer can add optional fields without breaking older consumers.
 */
public final class EventCodec {

    /** The envelope attributes {@link #decodeInOnePass} reads; any other is skipped. */
    private static final List<String> ATTRIBUTES =
            List.of("id", "source", "type", "specversion", "subject", "datacontenttype", "time", "data");

    private final ObjectMapper mapper;

    public EventCodec() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }

    public byte[] encode(CloudEvent<?> event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            // Our own payload records always serialise; this would be a programming error.
            throw new IllegalStateException("cannot serialise event " + event.id(), e);
        }
    }

    /**
     * Reads one record value.
     *
     * @throws MalformedEventException with the reason, when the bytes are not an event this contract knows
     */
    public CloudEvent<EventPayload> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedEventException("empty record value");
        }
        CloudEvent<EventPayload> event = decodeInOnePass(bytes);
        return event != null ? event : decodeTree(bytes);
    }

    /**
     * The common case in one pass over the bytes: a well-formed event whose {@code type} comes before its
     * {@code data} (as {@link #encode} writes it), the payload bound straight from the parser. Reading it into a
     * {@link JsonNode} tree first and binding the tree after, as {@link #decodeTree} does, was ~15–20% of the
     * alert-service's evaluation CPU (session 36). Returns null for anything else — malformed, unusual or merely in
     * another order — which {@link #decodeTree} then reads and, if it must, rejects with its reason, so that the
     * reasons (the dead-letter reasons) and what a valid event decodes to stay those of one reading.
     */
    private CloudEvent<EventPayload> decodeInOnePass(byte[] bytes) {
        try (JsonParser p = mapper.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String id = null, source = null, type = null, specversion = null, subject = null, contentType = null;
            Instant time = null;
            EventPayload payload = null;
            int seen = 0; // one bit per attribute of ATTRIBUTES read so far
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int index = ATTRIBUTES.indexOf(name);
                if (index < 0) {
                    p.skipChildren(); // an attribute this contract does not know (forward compatibility)
                    continue;
                }
                int bit = 1 << index;
                if ((seen & bit) != 0) {
                    return null; // a repeated attribute: the tree's reading (the last one wins) decides
                }
                seen |= bit;
                if (name.equals("data")) {
                    EventType eventType = type == null ? null : EventType.fromType(type).orElse(null);
                    if (eventType == null || value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    payload = mapper.readValue(p, eventType.payloadClass());
                } else if (name.equals("time")) {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    time = mapper.readValue(p, Instant.class);
                } else {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    String text = p.getText();
                    switch (name) {
                        case "id" -> id = text;
                        case "source" -> source = text;
                        case "type" -> type = text;
                        case "specversion" -> specversion = text;
                        case "subject" -> subject = text;
                        default -> contentType = text;
                    }
                }
            }
            if (payload == null || !CloudEvent.SPEC_VERSION.equals(specversion) || blank(id) || blank(source)
                    || (contentType != null && !contentType.startsWith(CloudEvent.JSON))) {
                return null;
            }
            return new CloudEvent<>(id, source, type, specversion, time, subject != null ? subject : payload.subject(),
                    contentType, payload);
        } catch (IOException | RuntimeException e) {
            return null; // the tree's reading names what is wrong
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Reads one record value through a {@link JsonNode} tree: every event {@link #decodeInOnePass} leaves. */
    private CloudEvent<EventPayload> decodeTree(byte[] bytes) {
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedEventException("not JSON: " + firstLine(e.getMessage()), e);
        }
        if (!(root instanceof ObjectNode envelope)) {
            throw new MalformedEventException("not a JSON object: a CloudEvent in structured mode is an object");
        }
        String specversion = requiredText(envelope, "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(specversion)) {
            throw new MalformedEventException("unsupported CloudEvents specversion '" + specversion + "', expected 1.0");
        }
        String id = requiredText(envelope, "id");
        String source = requiredText(envelope, "source");
        String type = requiredText(envelope, "type");
        EventType eventType = EventType.fromType(type).orElseThrow(
                () -> new MalformedEventException("unknown event type '" + type + "' (unknown schema version?)"));
        JsonNode contentType = envelope.get("datacontenttype");
        if (contentType != null && !contentType.isNull() && !contentType.asText().startsWith(CloudEvent.JSON)) {
            throw new MalformedEventException("unsupported datacontenttype '" + contentType.asText() + "'");
        }
        JsonNode data = envelope.get("data");
        if (data == null || !data.isObject()) {
            throw new MalformedEventException("'data' is missing or not a JSON object for type " + type);
        }
        EventPayload payload;
        try {
            payload = mapper.treeToValue(data, eventType.payloadClass());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEventException("data does not match " + type + ": " + rootCauseMessage(e), e);
        }
        try {
            return new CloudEvent<>(id, source, type, specversion,
                    envelope.hasNonNull("time") ? mapper.treeToValue(envelope.get("time"), java.time.Instant.class) : null,
                    envelope.hasNonNull("subject") ? envelope.get("subject").asText() : payload.subject(),
                    contentType == null || contentType.isNull() ? null : contentType.asText(),
                    payload);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("'time' is not an RFC 3339 timestamp: " + firstLine(e.getMessage()), e);
        }
    }

    /** The mapper configured for the contract, for services that render payloads in their own APIs. */
    public ObjectMapper mapper() {
        return mapper;
    }

    public String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String requiredText(ObjectNode envelope, String attribute) {
        JsonNode node = envelope.get(attribute);
        if (node == null || node.isNull() || !node.isTextual() || node.asText().isBlank()) {
            throw new MalformedEventException("required attribute '" + attribute + "' is missing or not a string");
        }
        return node.asText();
    }

    private static String rootCauseMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return firstLine(t.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
