-- Scraped component figures, one row per metric per scrape.
CREATE TABLE metric_sample (
    component   TEXT             NOT NULL,
    target      TEXT             NOT NULL,
    name        TEXT             NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    sampled_at  TIMESTAMPTZ      NOT NULL
);
CREATE INDEX metric_sample_by_series ON metric_sample (component, target, name, sampled_at DESC);
CREATE INDEX metric_sample_by_time ON metric_sample (sampled_at);

-- Per-conference video quality.
CREATE TABLE conference_quality (
    conference_id        TEXT             NOT NULL,
    room_name            TEXT,
    bridge               TEXT             NOT NULL,
    participants         INTEGER          NOT NULL,
    bitrate_kbps         DOUBLE PRECISION NOT NULL,
    frames_per_second    DOUBLE PRECISION NOT NULL,
    frame_width          INTEGER          NOT NULL,
    frame_height         INTEGER          NOT NULL,
    packet_loss_percent  DOUBLE PRECISION NOT NULL,
    jitter_ms            DOUBLE PRECISION NOT NULL,
    sampled_at           TIMESTAMPTZ      NOT NULL
);
CREATE INDEX conference_quality_by_conference ON conference_quality (conference_id, sampled_at DESC);
CREATE INDEX conference_quality_by_time ON conference_quality (sampled_at);
