-- The Kafka partition (topic-partition) whose records an alert of our rules is about. With several replicas only
-- that partition's owner holds the alert: a replica adopts the alerts of the partitions Kafka assigns it and drops
-- those of the partitions taken away (PartitionOwnership). NULL: posted by Prometheus (held by the replica it was
-- posted to), or written before this column existed (restored at start-up by every replica, as before).
ALTER TABLE alert ADD COLUMN source_partition TEXT;
CREATE INDEX alert_by_source_partition ON alert (source_partition) WHERE state <> 'RESOLVED';
