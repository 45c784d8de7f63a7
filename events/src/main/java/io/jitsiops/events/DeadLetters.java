package io.jitsiops.events;

/**
 * The dead-letter convention. A record that a consumer cannot read is copied, with its original key and
 * value bytes untouched, to {@link Topics#DEAD_LETTER}; these headers say why and where it came from.
 * The names are those SmallRye Reactive Messaging's Kafka dead-letter strategy writes, so that records
 * dead-lettered by the framework and by hand read the same.
 */
public final class DeadLetters {
    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private DeadLetters() {
    }
}
