-- Consumed events are no longer kept one by one: what the API needs is the alerts, their history (with the id of
-- the event that caused each change) and their notifications. Redelivered events are harmless without an event
-- table, because evaluation is restored from the persisted alert state and an unchanged state makes no row.
DROP TABLE received_event;

-- One row per alert identity (fingerprint of rule + labels); a resolved alert that fires again reuses its row.
CREATE TABLE alert (
    fingerprint   TEXT        PRIMARY KEY,
    rule          TEXT        NOT NULL,
    source        TEXT        NOT NULL,            -- rule | prometheus
    labels        JSONB       NOT NULL,
    severity      TEXT,
    page          BOOLEAN     NOT NULL DEFAULT false,
    state         TEXT        NOT NULL,            -- PENDING | FIRING | RESOLVED
    value         DOUBLE PRECISION,
    threshold     DOUBLE PRECISION,
    summary       TEXT,
    description   TEXT,
    dashboard_url TEXT,
    generator_url TEXT,
    active_since  TIMESTAMPTZ NOT NULL,
    fired_at      TIMESTAMPTZ,
    resolved_at   TIMESTAMPTZ,
    last_breach   TIMESTAMPTZ,
    acked_until   TIMESTAMPTZ,
    acked_by      TEXT,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX alert_by_state ON alert (state, updated_at DESC);

-- Every state change, bounded by the retention job.
CREATE TABLE alert_history (
    id          BIGSERIAL   PRIMARY KEY,
    fingerprint TEXT        NOT NULL,
    from_state  TEXT,
    to_state    TEXT        NOT NULL,
    value       DOUBLE PRECISION,
    event_id    TEXT,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX alert_history_by_alert ON alert_history (fingerprint, at DESC);
CREATE INDEX alert_history_by_time ON alert_history (at);

-- Alertmanager's notification log: what each receiver was last told about each group.
CREATE TABLE notification_log (
    receiver  TEXT        NOT NULL,
    group_key TEXT        NOT NULL,
    firing    TEXT[]      NOT NULL,
    resolved  TEXT[]      NOT NULL,
    sent_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (receiver, group_key)
);

-- The outcome of every notification, delivered or not (undeliverable ones are visible in the API).
CREATE TABLE delivery (
    id           BIGSERIAL   PRIMARY KEY,
    receiver     TEXT        NOT NULL,
    group_key    TEXT        NOT NULL,
    fingerprints TEXT[]      NOT NULL,
    delivered    BOOLEAN     NOT NULL,
    attempts     INTEGER     NOT NULL,
    digest       BOOLEAN     NOT NULL,
    error        TEXT,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX delivery_by_fingerprint ON delivery USING GIN (fingerprints);
CREATE INDEX delivery_by_time ON delivery (at);

CREATE TABLE silence (
    id         UUID        PRIMARY KEY,
    matchers   JSONB       NOT NULL,
    starts_at  TIMESTAMPTZ NOT NULL,
    ends_at    TIMESTAMPTZ NOT NULL,
    created_by TEXT        NOT NULL,
    comment    TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
