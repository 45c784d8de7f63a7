-- The backup catalogue: a backup counts only once it is COMPLETED (written in full and checksummed).
CREATE TABLE backup (
    id            TEXT        PRIMARY KEY,
    schedule      TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED', 'VERIFIED', 'PRUNED')),
    parts         JSONB       NOT NULL DEFAULT '[]'::jsonb,
    local_path    TEXT,
    remote_uri    TEXT,
    size_bytes    BIGINT,
    sha256        TEXT,
    error         TEXT,
    started_at    TIMESTAMPTZ NOT NULL,
    completed_at  TIMESTAMPTZ
);
CREATE INDEX backup_by_schedule_and_time ON backup (schedule, started_at DESC);
