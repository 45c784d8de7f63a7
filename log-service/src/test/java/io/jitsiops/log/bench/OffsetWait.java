package io.jitsiops.log.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * bench/logs: waits until a topic holds at least TARGET records (the sum of its partitions' end offsets) and prints
 * {@code REACHED <epoch ms>}, or {@code TIMEOUT <records>}. Started before the measured run, one JVM that looks every
 * 50 ms: the end of rsyslog's run is seen within 50 ms, where a GetOffsetShell per look started a JVM each time
 * (about a second on this machine, counted into rsyslog's time). (Every 20 ms with a metadata look-up each time, it
 * took 5.6 CPU-seconds of the 2 cores during a 14 s rsyslog run, stop 20: CPU rsyslog and the broker did not get.)
 * With NEXT it goes on after TARGET until the topic holds NEXT records and prints {@code NEXT <epoch ms>} (or
 * {@code NEXT_TIMEOUT <records>}) too, as {@link CursorWait} does: the arrival of the line the bench appends beyond the
 * measured ones.
 * Usage: OffsetWait BOOTSTRAP TOPIC TARGET TIMEOUT_SECONDS [NEXT]
 */
public final class OffsetWait {
    private OffsetWait() {
    }

    public static void main(String[] args) throws InterruptedException {
        String topic = args[1];
        long target = Long.parseLong(args[2]);
        long next = args.length > 4 ? Long.parseLong(args[4]) : -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        long records = 0;
        List<TopicPartition> partitions = List.of();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            while (System.nanoTime() < deadline) {
                try {
                    if (partitions.isEmpty()) { // looked up until the topic exists, then kept (it was asked for every 20 ms)
                        partitions = c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                                .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
                    }
                    Map<TopicPartition, Long> ends = partitions.isEmpty() ? Map.of() : c.endOffsets(partitions, Duration.ofSeconds(5));
                    records = ends.values().stream().mapToLong(Long::longValue).sum();
                } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
                    continue; // the topic is not there yet (created by the first record)
                }
                if (target >= 0 && records >= target) {
                    System.out.println("REACHED " + System.currentTimeMillis());
                    System.out.flush(); // read by the driver as it comes: its clock stops here
                    if (next < 0) {
                        return;
                    }
                    target = -1;
                }
                if (target < 0 && records >= next) {
                    System.out.println("NEXT " + System.currentTimeMillis());
                    return;
                }
                Thread.sleep(50);
            }
        }
        System.out.println((target < 0 ? "NEXT_TIMEOUT " : "TIMEOUT ") + records);
    }
}
