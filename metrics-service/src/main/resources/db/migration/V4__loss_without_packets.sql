-- A bridge endpoint without packets in the JVB's 60 s loss window (just joined, muted, receive-only) has no loss
-- figure, and a conference none of whose streams has one neither: NULL, as rtt_ms where no RTT was measured.
ALTER TABLE video_sample ALTER COLUMN packet_loss_percent DROP NOT NULL;
ALTER TABLE conference_quality ALTER COLUMN packet_loss_percent DROP NOT NULL;
