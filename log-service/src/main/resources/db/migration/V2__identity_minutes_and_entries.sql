-- A file is known by device + inode (file_key) and a hash of its first bytes (fingerprint over
-- fingerprint_length bytes): an inode reused by a new file is not mistaken for the old one. The cursor also
-- remembers the last Kafka record acknowledged for the file, so that a restart can find what was shipped
-- after the cursor was stored and not ship it again.
ALTER TABLE tail_cursor ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE tail_cursor ADD COLUMN fingerprint_length INT NOT NULL DEFAULT 0;
ALTER TABLE tail_cursor ADD COLUMN kafka_partition INT;
ALTER TABLE tail_cursor ADD COLUMN kafka_offset BIGINT;

-- Entries per component and minute (by the entries' own time): the analysis is built from these.
CREATE TABLE log_minute (
    component   TEXT        NOT NULL,
    minute      TIMESTAMPTZ NOT NULL,
    entries     BIGINT      NOT NULL,
    errors      BIGINT      NOT NULL,
    warnings    BIGINT      NOT NULL,
    unparsed    BIGINT      NOT NULL,
    truncated   BIGINT      NOT NULL,
    PRIMARY KEY (component, minute)
);
CREATE INDEX log_minute_by_time ON log_minute (minute);

CREATE TABLE log_minute_category (
    component   TEXT        NOT NULL,
    minute      TIMESTAMPTZ NOT NULL,
    category    TEXT        NOT NULL,
    entries     BIGINT      NOT NULL,
    PRIMARY KEY (component, minute, category)
);
CREATE INDEX log_minute_category_by_time ON log_minute_category (minute);

ALTER TABLE log_error ADD COLUMN severity TEXT;
ALTER TABLE log_error ADD COLUMN context TEXT;
ALTER TABLE log_error ADD COLUMN exception_class TEXT;
ALTER TABLE log_error ADD COLUMN file_key TEXT NOT NULL DEFAULT '';
