package io.jitsiops.events;
/**
 * The data of an event; the payload records are in {@code io.jitsiops.events.payload} and each is bound to
 * one {@link EventType}. Each payload names its own subject, which becomes the Kafka record key. */
public interface EventPayload {

    /** What the event is about: component/target, conference or backup; events with one subject stay ordered. */
    String subject();
}
