-- Absence rules' windows survive a restart and a rebalance: when each series last reported (and on which Kafka
-- partition, so that only that partition's owner decides it went silent), since when each rule has been watched
-- ("nothing ever seen"), and a heartbeat of the evaluation, from which a restarted service knows how long nobody was
-- watching (that time is not counted as silence).
CREATE TABLE absence_seen (
    rule      TEXT        NOT NULL,
    series    TEXT        NOT NULL,            -- the rule's "by" labels, as a JSON object with sorted keys
    last_seen TIMESTAMPTZ NOT NULL,
    partition TEXT,                            -- topic-partition of the series' records
    PRIMARY KEY (rule, series)
);

CREATE TABLE absence_watch (
    rule  TEXT        PRIMARY KEY,
    since TIMESTAMPTZ NOT NULL
);

CREATE TABLE evaluation_heartbeat (
    id INTEGER     PRIMARY KEY CHECK (id = 1),
    at TIMESTAMPTZ NOT NULL
);
