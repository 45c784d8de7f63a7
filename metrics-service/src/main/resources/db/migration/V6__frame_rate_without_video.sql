-- A conference in which no video sender reports a frame rate has no frame-rate figure: NULL, as bitrate_kbps (V5).
-- It was 0, read as "not measured" by the quality rules but averaged as a frame rate of 0 by the performance report.
-- Rows written before keep their 0.
ALTER TABLE conference_quality ALTER COLUMN frames_per_second DROP NOT NULL;
