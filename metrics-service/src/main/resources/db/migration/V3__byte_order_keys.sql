-- Key columns that are identifiers (room and participant ids, metric names, targets) compare byte by byte: with the
-- database's linguistic collation (e.g. C.UTF-8 or en_US.UTF-8) every primary-key comparison of an insert went
-- through strcoll, a large share of PostgreSQL's cost per row at ingest rates of 100,000 rows/s. Nothing sorts these
-- columns for people, so byte order ("C") loses nothing. The primary keys are rebuilt; the rows are not rewritten.
ALTER TABLE video_sample
    ALTER COLUMN room TYPE TEXT COLLATE "C",
    ALTER COLUMN participant TYPE TEXT COLLATE "C",
    ALTER COLUMN direction TYPE TEXT COLLATE "C",
    ALTER COLUMN source TYPE TEXT COLLATE "C";
ALTER TABLE metric_sample
    ALTER COLUMN component TYPE TEXT COLLATE "C",
    ALTER COLUMN target TYPE TEXT COLLATE "C",
    ALTER COLUMN name TYPE TEXT COLLATE "C",
    ALTER COLUMN labels TYPE TEXT COLLATE "C";
ALTER TABLE metric_rollup_1m
    ALTER COLUMN component TYPE TEXT COLLATE "C",
    ALTER COLUMN target TYPE TEXT COLLATE "C",
    ALTER COLUMN name TYPE TEXT COLLATE "C",
    ALTER COLUMN labels TYPE TEXT COLLATE "C";
ALTER TABLE conference_quality
    ALTER COLUMN conference_id TYPE TEXT COLLATE "C",
    ALTER COLUMN bridge TYPE TEXT COLLATE "C",
    ALTER COLUMN source TYPE TEXT COLLATE "C";
