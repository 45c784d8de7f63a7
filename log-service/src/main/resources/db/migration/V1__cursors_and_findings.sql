-- Where each tailed file was read up to, so that a restart neither loses nor repeats lines.
CREATE TABLE tail_cursor (
    path         TEXT        PRIMARY KEY,
    file_key     TEXT        NOT NULL,   -- device:inode, to notice rotation
    position     BIGINT      NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

-- Parsed error and warning entries.
CREATE TABLE log_error (
    id           BIGSERIAL   PRIMARY KEY,
    component    TEXT        NOT NULL,
    file         TEXT        NOT NULL,
    position     BIGINT      NOT NULL,
    logged_at    TIMESTAMPTZ NOT NULL,
    level        TEXT        NOT NULL,
    logger       TEXT,
    message      TEXT        NOT NULL,
    category     TEXT        NOT NULL,
    stack_trace  TEXT,
    UNIQUE (file, position, logged_at)
);
CREATE INDEX log_error_by_time ON log_error (logged_at);
CREATE INDEX log_error_by_category ON log_error (component, category, logged_at);
