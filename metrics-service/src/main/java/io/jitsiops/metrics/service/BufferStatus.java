package io.jitsiops.metrics.service;

import io.jitsiops.readiness.BoundedRetryBuffer;

/** What the re-export shows of a buffer in front of Kafka or PostgreSQL. */
public interface BufferStatus {
    String name();

    int backlog();

    long dropped();

    long delivered();

    static BufferStatus of(BoundedRetryBuffer<?> b) {
        return new BufferStatus() {
            @Override
            public String name() {
                return b.name();
            }

            @Override
            public int backlog() {
                return b.backlog();
            }

            @Override
            public long dropped() {
                return b.dropped();
            }

            @Override
            public long delivered() {
                return b.delivered();
            }
        };
    }
}
