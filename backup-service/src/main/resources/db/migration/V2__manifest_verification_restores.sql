-- A backup row is written RUNNING when a backup starts (so that retention and start-up clean-up know about it)
-- and becomes COMPLETED only after every object and the manifest are stored; only COMPLETED, VERIFIED and
-- VERIFICATION_FAILED backups are listed. A FAILED one had its objects removed (cleanup_pending while a store
-- was unreachable for that).
ALTER TABLE backup DROP CONSTRAINT backup_status_check;
ALTER TABLE backup ADD CONSTRAINT backup_status_check
    CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED', 'VERIFIED', 'VERIFICATION_FAILED', 'PRUNED'));
ALTER TABLE backup
    ADD COLUMN components       TEXT[]      NOT NULL DEFAULT '{}',
    ADD COLUMN manifest         JSONB,
    ADD COLUMN key_id           TEXT,
    ADD COLUMN verification     JSONB,
    ADD COLUMN verified_at      TIMESTAMPTZ,
    ADD COLUMN rto_ms           BIGINT,
    ADD COLUMN read_checked_at  TIMESTAMPTZ,
    ADD COLUMN cleanup_pending  BOOLEAN     NOT NULL DEFAULT false,
    ADD COLUMN pruned_at        TIMESTAMPTZ;
CREATE INDEX backup_by_status ON backup (status, completed_at DESC);

-- A restore and its steps: every step is a row (and an event on jitsi-ops.backups).
CREATE TABLE restore (
    id           TEXT        PRIMARY KEY,
    backup_id    TEXT        NOT NULL REFERENCES backup (id),
    components   TEXT[]      NOT NULL,
    dry_run      BOOLEAN     NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED', 'ROLLED_BACK', 'ROLLBACK_FAILED')),
    error        TEXT,
    started_at   TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ
);
CREATE TABLE restore_step (
    restore_id   TEXT        NOT NULL REFERENCES restore (id) ON DELETE CASCADE,
    seq          INT         NOT NULL,
    step         TEXT        NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('OK', 'FAILED', 'SKIPPED')),
    detail       TEXT,
    started_at   TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (restore_id, seq)
);

-- Database maintenance runs and their report.
CREATE TABLE maintenance_run (
    id           BIGSERIAL   PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ NOT NULL,
    ok           BOOLEAN     NOT NULL,
    report       JSONB       NOT NULL
);
