-- A conference in which no stream sends video (every camera off, an audio-only call) has no bitrate figure, and a
-- stream without an SSRC in the bridge's incoming statistics has no jitter figure (nor a conference none of whose
-- streams has one): NULL, as packet_loss_percent (V4) and rtt_ms. A stream's own bitrate stays NOT NULL: 0 bps is
-- what it sent.
ALTER TABLE conference_quality ALTER COLUMN bitrate_kbps DROP NOT NULL;
ALTER TABLE conference_quality ALTER COLUMN jitter_ms DROP NOT NULL;
ALTER TABLE video_sample ALTER COLUMN jitter_ms DROP NOT NULL;
