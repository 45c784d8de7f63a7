package io.jitsiops.log.tail;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.jitsiops.deployment.DeploymentDescription.LogSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The tailing of one configured source ({@code logs[]} entry) on /q/metrics, registered when the service starts, so
 * that a source never read shows zeros instead of no series. Tagged by the source as configured (component, format and
 * its path or glob as written), never by a file's current name: a rotation or a new pod does not make a new series, and
 * their number is that of {@code logs[]}. Every file a source's glob matches adds to the same series.
 * <p>
 * The tailers record on their own threads: the counters once per step (never per line), the gauges' values in volatile
 * fields of each {@link FileTailer} that a scrape only reads (no file is looked at on the scraping thread).
 */
public final class SourceMeters {
    private final List<FileTailer> files = new CopyOnWriteArrayList<>();
    private final long startedMillis;
    private final Counter linesRead;
    private final Counter entriesShipped;
    private final Counter entriesUnparsed;
    private final Counter rotations;
    private final Counter truncations;
    private final Counter retirements;
    /** The newest line of the files no longer followed: the last-line gauge does not go back when its file is retired. */
    private final AtomicLong retiredLastLineMillis = new AtomicLong();

    private SourceMeters(MeterRegistry registry, Tags tags, long startedMillis) {
        this.startedMillis = startedMillis;
        this.linesRead = Counter.builder("jitsiops.log.lines.read").tags(tags)
                .description("Lines read from the source's files, each once (also when a step is read again after a failure)")
                .register(registry);
        this.entriesShipped = Counter.builder("jitsiops.log.entries.shipped").tags(tags)
                .description("Entries in Kafka's entries topic with their cursor stored (also those found there already after a failure, not sent again)")
                .register(registry);
        this.entriesUnparsed = Counter.builder("jitsiops.log.entries.unparsed").tags(tags)
                .description("Of the entries shipped, those whose first line no parser of the format understood (kept raw: parsed=false)")
                .register(registry);
        this.rotations = Counter.builder("jitsiops.log.rotations").tags(tags)
                .description("Rotations followed: the live path renamed away or deleted and recreated (also found at start-up)")
                .register(registry);
        this.truncations = Counter.builder("jitsiops.log.truncations").tags(tags)
                .description("Truncations detected (copytruncate, or a file written again from its start)")
                .register(registry);
        this.retirements = Counter.builder("jitsiops.log.files.retired").tags(tags)
                .description("Files of the source no longer followed: gone (deleted, no longer matched by its glob) for "
                        + "jitsiops.logs.tail.retire-after, read to their end")
                .register(registry);
        Gauge.builder("jitsiops.log.bytes.behind", this, SourceMeters::bytesBehind).tags(tags)
                .description("Bytes of the files being read past the position stored after Kafka's acknowledgement (the tail lag)")
                .register(registry);
        Gauge.builder("jitsiops.log.last.line.timestamp.seconds", this, SourceMeters::lastLineEpochSeconds).tags(tags)
                .description("Unix time a new line of the source was last read; before any, when the service started following it")
                .register(registry);
        Gauge.builder("jitsiops.log.files.open", this, SourceMeters::filesOpen).tags(tags)
                .description("Files of the source open for reading (the live file, or a rotated one being finished)")
                .register(registry);
    }

    /** Registers the meters of one configured source. */
    public static SourceMeters register(MeterRegistry registry, LogSource source, Clock clock) {
        return new SourceMeters(registry, Tags.of("component", source.component(), "format", source.format().name(),
                "source", source.path()), clock.millis());
    }

    /** A tailer of one of the source's files: its gauge values count from now on. */
    void follow(FileTailer tailer) {
        files.add(tailer);
    }

    /**
     * A tailer of one of the source's files retired (closed: its file is gone): its gauge values no longer count, except
     * the time of its last line, which stays the source's if it is the newest.
     */
    void retire(FileTailer tailer) {
        if (files.remove(tailer)) {
            retiredLastLineMillis.accumulateAndGet(tailer.lastLineMillis(), Math::max); // files of a glob retire on several threads
            retirements.increment();
        }
    }

    void linesRead(long n) {
        linesRead.increment(n);
    }

    void entriesShipped(long shipped, long unparsed) {
        entriesShipped.increment(shipped);
        if (unparsed > 0) {
            entriesUnparsed.increment(unparsed);
        }
    }

    void rotated() {
        rotations.increment();
    }

    void truncated() {
        truncations.increment();
    }

    double linesRead() {
        return linesRead.count();
    }

    double entriesShipped() {
        return entriesShipped.count();
    }

    double entriesUnparsed() {
        return entriesUnparsed.count();
    }

    double rotations() {
        return rotations.count();
    }

    double truncations() {
        return truncations.count();
    }

    /** The tailers whose gauge values count (the source's files followed now). */
    int following() {
        return files.size();
    }

    double bytesBehind() {
        long sum = 0;
        for (FileTailer t : files) {
            sum += t.bytesBehind();
        }
        return sum;
    }

    double lastLineEpochSeconds() {
        long last = Math.max(startedMillis, retiredLastLineMillis.get());
        for (FileTailer t : files) {
            last = Math.max(last, t.lastLineMillis());
        }
        return last / 1000.0;
    }

    double filesOpen() {
        int n = 0;
        for (FileTailer t : files) {
            if (t.fileOpen()) {
                n++;
            }
        }
        return n;
    }
}
