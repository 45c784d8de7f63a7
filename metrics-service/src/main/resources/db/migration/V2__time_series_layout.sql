-- Time-series layout (issue 9). The skeleton's two tables had no keys and were never written: replaced.
DROP TABLE IF EXISTS metric_sample;
DROP TABLE IF EXISTS conference_quality;

-- Scraped figures, one row per series per scrape. Series = component + target + metric name + labels
-- (exposition form, '' when none). Rows arrive in time order, so a BRIN index on the time column is tiny and
-- serves the retention deletes and time-range scans; the primary key serves per-series reads.
CREATE TABLE metric_sample (
    component   TEXT             NOT NULL,
    target      TEXT             NOT NULL,
    name        TEXT             NOT NULL,
    labels      TEXT             NOT NULL DEFAULT '',
    sampled_at  TIMESTAMPTZ      NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (name, target, component, labels, sampled_at)
);
CREATE INDEX metric_sample_time_brin ON metric_sample USING brin (sampled_at);

-- One-minute rollups of metric_sample, kept longer than the raw rows.
CREATE TABLE metric_rollup_1m (
    component   TEXT             NOT NULL,
    target      TEXT             NOT NULL,
    name        TEXT             NOT NULL,
    labels      TEXT             NOT NULL DEFAULT '',
    bucket      TIMESTAMPTZ      NOT NULL,
    min_value   DOUBLE PRECISION NOT NULL,
    max_value   DOUBLE PRECISION NOT NULL,
    avg_value   DOUBLE PRECISION NOT NULL,
    samples     INTEGER          NOT NULL,
    PRIMARY KEY (name, target, component, labels, bucket)
);
CREATE INDEX metric_rollup_1m_time_brin ON metric_rollup_1m USING brin (bucket);

-- Per-participant stream quality: from browsers (source 'client') and from the bridges' endpoint statistics
-- (source 'bridge'). NULL where a figure was not measured.
CREATE TABLE video_sample (
    room                 TEXT             NOT NULL,
    participant          TEXT             NOT NULL,
    direction            TEXT             NOT NULL CHECK (direction IN ('send', 'receive')),
    source               TEXT             NOT NULL CHECK (source IN ('client', 'bridge')),
    sampled_at           TIMESTAMPTZ      NOT NULL,
    bridge               TEXT,
    bitrate_kbps         DOUBLE PRECISION NOT NULL,
    frames_per_second    DOUBLE PRECISION,
    frame_width          INTEGER,
    frame_height         INTEGER,
    packet_loss_percent  DOUBLE PRECISION NOT NULL,
    jitter_ms            DOUBLE PRECISION NOT NULL,
    rtt_ms               DOUBLE PRECISION,
    PRIMARY KEY (room, participant, direction, source, sampled_at)
);
CREATE INDEX video_sample_time_brin ON video_sample USING brin (sampled_at);

-- Per-conference quality (summed up over the streams), with the quality rules' verdict.
CREATE TABLE conference_quality (
    conference_id        TEXT             NOT NULL,
    bridge               TEXT             NOT NULL,
    source               TEXT             NOT NULL,
    sampled_at           TIMESTAMPTZ      NOT NULL,
    room_name            TEXT             NOT NULL,
    participants         INTEGER          NOT NULL,
    bitrate_kbps         DOUBLE PRECISION NOT NULL,
    frames_per_second    DOUBLE PRECISION NOT NULL,
    frame_width          INTEGER          NOT NULL,
    frame_height         INTEGER          NOT NULL,
    packet_loss_percent  DOUBLE PRECISION NOT NULL,
    jitter_ms            DOUBLE PRECISION NOT NULL,
    rtt_ms               DOUBLE PRECISION,
    streams              INTEGER          NOT NULL,
    degraded             BOOLEAN          NOT NULL,
    reasons              TEXT[]           NOT NULL DEFAULT '{}',
    PRIMARY KEY (conference_id, bridge, source, sampled_at)
);
CREATE INDEX conference_quality_time_brin ON conference_quality USING brin (sampled_at);
CREATE INDEX conference_quality_by_room ON conference_quality (room_name, sampled_at);

-- Stored performance reports (the daily one, and any other kind later).
CREATE TABLE performance_report (
    kind          TEXT        NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    window_end    TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    report        JSONB       NOT NULL,
    PRIMARY KEY (kind, window_end)
);
