package io.jitsiops.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode: the record value on Kafka is this whole object.
 * The Kafka record key is always {@link #subject()}, so that events about one component, target or
 * conference keep their order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent<T extends EventPayload>(
        String id,
        String source,
        String type,
        String specversion,
        Instant time,
        String subject,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(specversion, "specversion");
        Objects.requireNonNull(data, "data");
    }

    /**
     * A new event about {@code data}, emitted now by {@code source} (a URI reference naming the emitting
     * service instance, e.g. {@code /jitsi-ops/health-service}).
     */
    /**
     * A random (version 4) UUID for the event id. Ids need to be unique, not unguessable, so the per-thread PRNG
     * serves instead of {@link UUID#randomUUID()}, whose SecureRandom reads /dev/urandom under a lock on every
     * call: a measurable cost for services publishing hundreds of events a second.
     */
    static String newId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L; // version 4
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }

    public static <T extends EventPayload> CloudEvent<T> of(String source, T data) {
        return new CloudEvent<>(newId(), source, EventType.of(data).type(), SPEC_VERSION,
                Instant.now(), data.subject(), JSON, data);
    }

    public EventType eventType() {
        return EventType.of(data);
    }
}
