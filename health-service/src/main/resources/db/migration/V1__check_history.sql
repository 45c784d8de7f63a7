-- Every probe result, kept for the history API and trimmed by the retention job.
CREATE TABLE check_result (
    id            BIGSERIAL PRIMARY KEY,
    component     TEXT        NOT NULL,
    target        TEXT        NOT NULL,
    check_name    TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('UP', 'DEGRADED', 'DOWN')),
    latency_ms    BIGINT,
    error         TEXT,
    measurements  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    checked_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX check_result_by_target_and_time ON check_result (component, target, checked_at DESC);
CREATE INDEX check_result_by_time ON check_result (checked_at);
