-- Every event consumed from the jitsi-ops topics, once: the primary key on the CloudEvents id makes
-- redelivery (at-least-once consumption) harmless.
CREATE TABLE received_event (
    id            TEXT        PRIMARY KEY,
    type          TEXT        NOT NULL,
    source        TEXT        NOT NULL,
    subject       TEXT,
    event_time    TIMESTAMPTZ,
    topic         TEXT        NOT NULL,
    kafka_partition INTEGER   NOT NULL,
    kafka_offset  BIGINT      NOT NULL,
    data          JSONB       NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX received_event_by_time ON received_event (received_at DESC);
CREATE INDEX received_event_by_subject ON received_event (subject, event_time DESC);
