package io.jitsiops.log.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.log.analysis.Categorizer;
import io.jitsiops.log.analysis.CategoryRule;
import io.jitsiops.log.analysis.MinuteCounts;
import io.jitsiops.log.analysis.Severity;
import io.jitsiops.log.parse.EntryAssembler;
import io.jitsiops.log.parse.Level;
import io.jitsiops.log.parse.LineSplitter;
import io.jitsiops.log.parse.LogEntry;
import io.jitsiops.log.parse.LogParsers;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.repository.TailCursor;
import io.jitsiops.log.tail.FileIdentity.Fingerprint;

/**
 * Follows one live file through its rotations, without losing or repeating an entry.
 * <p>
 * A step ({@link #poll}) reads up to a chunk, cuts it into lines and entries, ships the entries, waits for
 * Kafka's acknowledgement and only then hands the cursor (file identity, fingerprint, the position up to
 * which every entry is shipped, the last acknowledged record) with the step's counts to {@link CursorCommits}, which
 * stores it in one PostgreSQL transaction off this thread, in order (the next step is sent meanwhile); moving on to
 * another file, a truncation and going back after a failure wait until it is stored. A failed step changes nothing stored: the tailer goes back to the stored cursor and tries
 * again; entries it knows Kafka already holds ({@code shippedEnd}) are counted but not shipped again.
 * <p>
 * Rotation: a rename (logrotate's default, with create) or a delete + recreate gives the live path a new
 * identity: the old file, still open, is read to its end (and for a grace period, for a writer that has
 * not reopened yet) before the new one is read from 0. A truncation (copytruncate) is seen as a size below
 * the read position or first bytes that changed: what was written between the last read and the copy is
 * read from the copy (a sibling with the same first bytes). At start-up, a cursor whose file is no longer
 * at the path is looked for among the rotated siblings ({@code name.1}, {@code name-20261129}…), read from
 * the cursor on, followed by every sibling rotated after it and then the live file: a file rotated twice
 * while the service was down loses nothing. A sibling logrotate compressed ({@code name.2.gz}, gzip only) is
 * read through {@link GzipFileChannel}, found by the fingerprint of its uncompressed first bytes (compressing
 * makes a new inode); {@code .xz}, {@code .bz2}, {@code .zst} siblings are not read.
 */
public final class FileTailer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FileTailer.class);

    private final TailSource source;
    private final TailSettings settings;
    private final Categorizer categorizer;
    private final CursorStore store;
    /** The cursors of acknowledged steps, stored off this thread, in order. */
    private final CursorCommits commits;
    private final Shipper shipper;
    private final WindowAggregates aggregates;
    private final Clock clock;
    /** The meters of the configured source this file belongs to (several files of one glob share them). */
    private final SourceMeters meters;
    private final String key;
    /** Writes record values on the shipper's writer thread (steps sent without values built ahead, its half of those built ahead). */
    private final EntryRecords json;
    /** Writes record values on this thread, ahead of the send ({@link #writeAhead}); never used by another thread. */
    private final EntryRecords aheadJson;

    private Opened open;
    /** Runs before a rotated sibling is looked at; tests rotate here to race a rotation deterministically. */
    java.util.function.Consumer<Path> siblingLook = p -> { };
    /** Files (inode + first bytes) finished in this run: never read twice, whatever their name is now. */
    private final java.util.Set<String> done = new java.util.HashSet<>();
    /** The same files by their first bytes only: a finished file compressed since has a new inode. */
    private final java.util.Set<String> doneContent = new java.util.HashSet<>();
    private LineSplitter splitter;
    private EntryAssembler assembler;
    private CriLines cri;
    private final List<LogEntry> produced = new ArrayList<>();
    /**
     * The rule each entry of {@link #produced} matched (null: none), in the same places: matched as the entry is parsed,
     * while its text is still in the cache. A pass over the step's entries once the step was parsed (until stop 22) cost
     * 250-300 ns more per line on one core (StepBench: 971/985 against 737/688 ns per line parsed and matched).
     */
    private final List<CategoryRule> producedRules = new ArrayList<>();
    private final ByteBuffer buffer;
    private long shippedEnd = -1;
    private java.util.Map<Shipper.Generation, Long> shippedAfter = java.util.Map.of();
    private long lastDataMillis;
    private Integer lastPartition;
    private Long lastOffset;

    // counters (read by metrics and tests)
    private volatile long shippedEntries;
    private volatile long skippedAsShipped;
    private volatile long failedSteps;
    private volatile long stepsBuiltAhead;
    private volatile long lostFiles;
    private volatile String lastError;

    // what the source's gauges read (SourceMeters), set by this tailer at the end of each poll: a scrape reads, never stats
    private volatile long bytesBehind;
    private volatile long lastLineMillis;
    private volatile boolean fileOpen;
    /** Since when its file is gone and everything read of it stored ({@link #goneSince}); null while it is not. */
    private volatile Instant goneSince;
    /** Lines counted in this poll, handed to the lines-read counter at its end (once a step, not once a line). */
    private long linesCounted;

    /** The file being read: the live one, a rotated sibling being finished, or a copytruncate copy. */
    private static final class Opened {
        final Path path;
        final FileChannel ch;
        final String fileKey;
        final String actualKey; // the inode of path (differs from fileKey for a copytruncate copy)
        Fingerprint fingerprint;
        /** Its first bytes (up to fingerprint-bytes) as seen when it was opened, or null. */
        byte[] head;
        long readPos;
        long committed;
        /** The position of the last step handed over (its cursor stored, or being stored: {@link CursorCommits}). */
        long submitted;
        boolean live;
        boolean draining;
        Long copyEnd; // reading a copy: stop here
        /** Its modification time when last seen under a name: what orders it after a compression deleted it. */
        java.nio.file.attribute.FileTime seenModified;
        /** The end of the furthest line of it counted as read ({@link CountedLines}): lines read again are not counted. */
        long linesCountedTo;

        Opened(Path path, FileChannel ch, String fileKey, String actualKey, Fingerprint fingerprint, long pos, boolean live) {
            this.path = path;
            this.ch = ch;
            this.fileKey = fileKey;
            this.actualKey = actualKey;
            this.fingerprint = fingerprint;
            this.readPos = pos;
            this.committed = pos;
            this.submitted = pos;
            this.live = live;
            this.linesCountedTo = pos;
        }
    }

    public FileTailer(TailSource source, TailSettings settings, Categorizer categorizer, CursorStore store, Shipper shipper,
                      WindowAggregates aggregates, Clock clock, SourceMeters meters) {
        this.source = source;
        this.settings = settings;
        this.categorizer = categorizer;
        this.store = store;
        this.commits = new CursorCommits(store);
        this.shipper = shipper;
        this.aggregates = aggregates;
        this.clock = clock;
        this.key = source.path().toString();
        this.json = new EntryRecords(shipper.json(), source.component(), source.format().name(), key);
        this.aheadJson = new EntryRecords(shipper.json(), source.component(), source.format().name(), key);
        this.buffer = ByteBuffer.allocate(settings.chunkBytes());
        this.lastDataMillis = clock.millis();
        this.meters = meters;
        meters.follow(this);
    }

    public TailSource source() {
        return source;
    }

    /** Finds where to resume from the stored cursor. */
    public void start() throws IOException {
        try {
            resume();
        } finally {
            publishMeters();
            noteGone();
        }
    }

    private void resume() throws IOException {
        Optional<TailCursor> stored = store.cursor(key);
        cursorStored = stored.isPresent();
        if (stored.isEmpty()) {
            openLive(0);
            return;
        }
        TailCursor c = stored.get();
        lastPartition = c.kafkaPartition();
        lastOffset = c.kafkaOffset();
        RotatedSiblings.Current live = RotatedSiblings.openCurrent(source.path());
        if (live != null && c.fileKey().equals(live.key()) && matchesPrefix(live.channel(), c)) {
            open = opened(source.path(), live.channel(), live.key(), live.key(), c.position(), true);
            if (open.ch.size() < c.position()) {
                truncatedWhileAway(c);
            }
        } else {
            if (live != null) {
                live.channel().close();
            }
            Opened found = resumeInRotated(c);
            if (found != null) {
                open = found;
                meters.rotated();
                open.fingerprint = new Fingerprint(c.fingerprintLength(), c.fingerprint());
                LOG.infof("%s: resuming in rotated %s at %d, then the files rotated after it, then the live file",
                        key, found.path.getFileName(), c.position());
            } else {
                lostFiles++;
                LOG.warnf("%s: the file of the stored cursor (%s at %d) is gone (deleted or compressed); reading the live file from its start",
                        key, c.fileKey(), c.position());
                openLive(0);
            }
        }
        shippedAfter = shipper.shippedAfter(key, c.kafkaPartition(), c.kafkaOffset());
        shippedEnd = shippedEndOf(open);
        if (shippedEnd > c.position()) {
            LOG.infof("%s: entries up to %d were shipped after the stored cursor (%d): not shipping them again",
                    key, shippedEnd, c.position());
        }
        resetParsing();
    }

    /**
     * The rotated file of the cursor: the same inode with the same first bytes, else a copytruncate copy (another
     * inode, same first bytes) that holds what the cursor had not reached; opened as the file the view saw.
     */
    private Opened resumeInRotated(TailCursor c) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            List<RotatedSiblings.Sibling> siblings = RotatedSiblings.of(source.path());
            boolean stale = false;
            for (RotatedSiblings.Sibling s : siblings) {
                if (c.fileKey().equals(s.key())) {
                    Opened o = openedSibling(s, c.fileKey(), c.position());
                    if (o == null) {
                        stale = true;
                        break;
                    }
                    if (matchesPrefix(o.ch, c)) {
                        return o;
                    }
                    o.ch.close();
                }
            }
            if (stale) {
                continue; // renamed while looked at: look again
            }
            if (c.fingerprintLength() == 0) {
                return null;
            }
            for (RotatedSiblings.Sibling s : siblings) {
                Opened o = openedSibling(s, c.fileKey(), c.position());
                if (o == null) {
                    stale = true;
                    break;
                }
                if (matchesPrefix(o.ch, c) && o.ch.size() >= c.position()) {
                    return o;
                }
                o.ch.close();
            }
            if (!stale) {
                return null;
            }
        }
        return null;
    }

    private void truncatedWhileAway(TailCursor c) throws IOException {
        meters.truncated();
        for (RotatedSiblings.Sibling s : RotatedSiblings.of(source.path())) {
            if (c.fingerprintLength() == 0) {
                break;
            }
            Opened copy = openedSibling(s, c.fileKey(), c.position());
            if (copy != null && !(matchesPrefix(copy.ch, c) && copy.ch.size() >= c.position())) {
                copy.ch.close();
                copy = null;
            }
            if (copy != null) {
                copy.fingerprint = new Fingerprint(c.fingerprintLength(), c.fingerprint());
                open.ch.close();
                open = copy;
                LOG.infof("%s: truncated while away: finishing its copy %s from %d", key, s.path().getFileName(), c.position());
                return;
            }
        }
        LOG.warnf("%s: truncated while away and no copy found: reading from 0", key);
        open.readPos = 0;
        open.committed = 0;
        open.submitted = 0;
        open.linesCountedTo = 0;
    }

    /**
     * One step.
     *
     * @return whether it read or shipped anything (call again at once: more may be waiting)
     */
    public boolean poll() throws IOException {
        try {
            if (open == null) {
                openLive(0);
                lastError = null; // a failure moving on from the file finished last is behind it: nothing of it is left
                if (open == null) {
                    return false;
                }
            }
            try {
                boolean progress = step();
                lastError = null;
                return progress;
            } catch (Exception e) {
                failedSteps++;
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf("%s: step failed, going back to the stored position %d: %s", key, open == null ? -1 : open.committed, lastError);
                rewind();
                if (e instanceof IOException io) {
                    throw io;
                }
                return false;
            }
        } finally {
            publishMeters();
            noteGone();
        }
    }

    /**
     * Notes whether its file is gone: nothing open (the live path was absent at the last look and every rotated file of
     * it is finished), no step in flight, no cursor waiting to be stored, no failure to go back from. A rotated file still
     * open (deleted or not) is read to its end first: only then does {@link #next} leave nothing open.
     */
    private void noteGone() {
        if (open != null || lastError != null || waitingForKafka()) {
            goneSince = null;
        } else if (goneSince == null) {
            goneSince = clock.instant();
        }
    }

    /**
     * Since when its file is gone and everything read of it is in Kafka with its cursor stored, as of its last poll;
     * null while it is not (reset as soon as a file is open at its path again).
     */
    Instant goneSince() {
        return goneSince;
    }

    /**
     * Hands this poll's lines to the source's counter and sets what its gauges read: the bytes of the open file past the
     * stored cursor (its size is a stat of the open channel, here on the tailer's thread; a gzip sibling's uncompressed
     * size is not known without reading it whole: 0), whether a file is open, when a new line was last read.
     */
    private void publishMeters() {
        if (linesCounted > 0) {
            meters.linesRead(linesCounted);
            linesCounted = 0;
            lastLineMillis = clock.millis();
        }
        Opened o = open;
        fileOpen = o != null;
        bytesBehind = o == null || o.ch instanceof GzipFileChannel ? 0 : Math.max(0, sizeOf(o.ch) - o.committed);
    }

    private boolean step() throws Exception {
        commits.collect(); // the steps stored since, and a failed commit: back to the stored cursor
        if (afterAck != null) {
            if (!room(ACK_WAIT, 1)) {
                return false; // parked as a step read is: this thread serves other files meanwhile
            }
            commits.awaitStored(STORE_WAIT); // moving on (or reading again from 0) from the cursor stored
            AfterAck then = afterAck;
            afterAck = null;
            then.run();
            return true;
        }
        if (parked != null) {
            if (!room(ACK_WAIT, parkedLimit)) {
                return false; // Kafka slow or away: this thread serves other files meanwhile
            }
            boolean finished = parked;
            parked = null;
            return shipRead(finished, true);
        }
        if (open.live && !open.draining) {
            Boolean stepEnds = checkLive();
            if (stepEnds != null) {
                return stepEnds;
            }
        }
        buffer.clear();
        long limit = open.copyEnd == null ? Long.MAX_VALUE : open.copyEnd;
        if (limit - open.readPos < buffer.capacity()) {
            buffer.limit((int) Math.max(0, limit - open.readPos));
        }
        int n = buffer.limit() == 0 ? -1 : open.ch.read(buffer, open.readPos);
        long now = clock.millis();
        if (n > 0) {
            int consumed = splitter.feed(buffer.array(), 0, n, open.readPos);
            open.readPos += consumed;
            lastDataMillis = now;
            if (consumed == 0 && n == buffer.capacity()) {
                throw new IllegalStateException("chunk smaller than a line: raise jitsiops.logs.tail.chunk-bytes above max-line-bytes");
            }
        }
        boolean atEnd = n <= 0 || (open.copyEnd != null && open.readPos >= open.copyEnd);
        boolean quiet = now - lastDataMillis >= settings.multilineFlush().toMillis();
        boolean finished = atEnd && (!open.live || (open.draining && quiet));
        if (finished) {
            finishFile();
        } else if (atEnd && quiet && assembler.pendingStart() >= 0) {
            assembler.flush(); // the last entry's continuation lines stopped coming: it is complete
        }
        boolean widens = open.copyEnd == null && open.fingerprint.length() < settings.fingerprintBytes();
        // Up to steps-in-flight steps are on their way at once; when nothing new was read, the ones in flight are waited
        // for (at most ACK_WAIT a poll) instead of being looked at again and again by polls that return at once.
        // One while the fingerprint still widens (as for a step written ahead below), and until a cursor of this file is
        // stored: without one a restart reads the live path from 0 and cannot look up what Kafka holds, so records of a
        // second step sent before the first one's cursor landed (a file renamed away meanwhile) would be skipped for good.
        int inFlightLimit = n > 0 && !widens && cursorStored ? settings.stepsInFlight() : 1;
        Pending last = inFlight.peekLast();
        if (last != null && last.file() == open && !produced.isEmpty() && !widens
                && inFlight.size() >= inFlightLimit && !inFlight.peek().sent().arrived(Duration.ZERO)) {
            // The steps before it are still on their way: its record values are written now (half here, half by the
            // shipper's writer thread), instead of by the writer alone after the acknowledgement. (Not while the fingerprint still widens: the cursor of
            // the step in flight is made with the fingerprint as it is when that step is acknowledged.)
            prepared = prepare(true);
            stepsBuiltAhead++;
        }
        if (!room(ACK_WAIT, inFlightLimit)) {
            // Not blocked for the producer's whole delivery timeout: the step read waits, parked, for the
            // acknowledgement of the oldest step in flight at the next polls; nothing more is read meanwhile.
            parked = finished;
            parkedLimit = inFlightLimit;
            return n > 0;
        }
        return shipRead(finished, n > 0);
    }

    /**
     * Ships the step read (the one before it is acknowledged by now); when its file ended, moves on once that step is
     * acknowledged and its cursor stored, at the next polls (parked as a step read is, not blocked on Kafka).
     */
    private boolean shipRead(boolean finished, boolean read) throws Exception {
        boolean shipped = shipAndCommit();
        if (finished) {
            afterAck = this::next;
            return true;
        }
        return read || shipped;
    }

    /**
     * The live path: renamed away, deleted, truncated or replaced?
     *
     * @return null to go on reading in this step, else the step ends here with this result
     */
    private Boolean checkLive() throws Exception {
        truncationWaits = false;
        String liveKey = FileIdentity.key(source.path());
        if (liveKey == null || !liveKey.equals(open.fileKey)) {
            open.draining = true;
            meters.rotated();
            LOG.infof("%s: rotated (now %s): finishing the old file from %d", key, liveKey == null ? "absent" : liveKey, open.readPos);
            return null;
        }
        open.seenModified = Files.getLastModifiedTime(source.path());
        long size = open.ch.size();
        boolean truncated = size < open.readPos;
        if (!truncated && open.fingerprint.length() > 0) {
            String fp = FileIdentity.fingerprint(open.ch, open.fingerprint.length());
            truncated = !open.fingerprint.hash().equals(fp);
        }
        if (truncated) {
            if (!room(ACK_WAIT, 1)) {
                // the copy goes on from the cursor of every step sent: seen again at the next poll, once it is stored
                truncationWaits = true;
                return false;
            }
            return truncatedNow() ? null : true;
        } else if (open.fingerprint.length() < settings.fingerprintBytes() && size > open.fingerprint.length()) {
            open.fingerprint = FileIdentity.current(open.ch, settings.fingerprintBytes()); // widen while it grows
        }
        return null;
    }

    /**
     * copytruncate: finish what was written before the copy from the copy, then the live file from 0.
     *
     * @return whether the step goes on reading (from the copy); false: the file is read again from 0 once the last
     * entries read from it are acknowledged, at the next polls
     */
    private boolean truncatedNow() throws Exception {
        room(Duration.ZERO, 1); // every step sent arrived already: the copy goes on from the cursor, the one of every step sent
        commits.awaitStored(STORE_WAIT);
        meters.truncated();
        for (RotatedSiblings.Sibling s : RotatedSiblings.of(source.path())) {
            Path p = s.path();
            if (open.fingerprint.length() == 0) {
                break;
            }
            FileChannel copy = RotatedSiblings.open(s);
            if (copy == null) {
                continue; // renamed since the look: not this copy
            }
            if (!open.fingerprint.hash().equals(FileIdentity.fingerprint(copy, open.fingerprint.length())) || copy.size() <= open.readPos) {
                copy.close();
                continue;
            }
            Opened o = new Opened(p, copy, open.fileKey, s.key(), open.fingerprint, open.readPos, false);
            o.committed = open.committed;
            o.submitted = open.committed;
            o.copyEnd = copy.size();
            o.seenModified = s.modified();
            o.linesCountedTo = Math.max(open.linesCountedTo, open.readPos);
            LOG.infof("%s: truncated (copytruncate): reading %s from %d to %d first", key, p.getFileName(), open.readPos, o.copyEnd);
            open.ch.close();
            open = o;
            return true;
        }
        LOG.infof("%s: truncated; no copy with the same first bytes holds more than was read (%d): reading it again from 0",
                key, open.readPos);
        finishFile();
        shipAndCommit();
        afterAck = () -> {
            open.readPos = 0;
            open.committed = 0;
            open.submitted = 0;
            open.linesCountedTo = 0;
            open.fingerprint = FileIdentity.current(open.ch, settings.fingerprintBytes());
            shippedEnd = -1;
            resetParsing();
        };
        return false;
    }

    /** The file ends here: its last entry (and a last line without a line break) is complete. */
    private void finishFile() {
        if (splitter.skipping()) {
            splitter.feed(new byte[] { '\n' }, 0, 1, open.readPos);
        } else {
            long end = open.copyEnd != null ? open.copyEnd : sizeOf(open.ch);
            if (end > open.readPos) {
                // a last line without its line break: complete, since nothing will be appended to this file
                int len = (int) Math.min(end - open.readPos, settings.maxLineBytes() + 1L);
                ByteBuffer tail = ByteBuffer.allocate(len + 1);
                try {
                    tail.limit(len);
                    open.ch.read(tail, open.readPos);
                } catch (IOException e) {
                    LOG.warnf("%s: cannot read the last line of %s: %s", key, open.path, e.getMessage());
                }
                tail.limit(len + 1);
                tail.put(len, (byte) '\n');
                splitter.feed(tail.array(), 0, len + 1, open.readPos);
                open.readPos = end;
            }
        }
        if (cri != null && cri.pendingStart() >= 0) {
            cri.line("1970-01-01T00:00:00Z stdout F ", open.readPos, open.readPos, false);
        }
        assembler.flush();
    }

    private static long sizeOf(FileChannel ch) {
        try {
            return ch.size();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Moves on: to the oldest rotated file not finished yet and not older than the one just finished (a file
     * rotated again while it was being read is found under its new name by its identity), else the live file.
     */
    private void next() throws Exception {
        String finished = identity(open.ch);
        done.add(open.fileKey + "/" + finished);
        doneContent.add(finished);
        if (open.actualKey != null) {
            done.add(open.actualKey + "/" + finished);
        }
        java.nio.file.attribute.FileTime finishedTime = modified(open);
        open.ch.close();
        open = null;
        for (int attempt = 0; open == null && attempt < 20; attempt++) {
            RotatedSiblings.Sibling nextFile = nextRotated(FileIdentity.key(source.path()), finishedTime);
            if (nextFile == null) {
                openLive(0);
                // A rotation between the look at the siblings above and the opening of the live path renames away
                // a file nobody has read: look again with the live file open.
                RotatedSiblings.Sibling hidden = nextRotated(open == null ? null : open.fileKey, finishedTime);
                if (hidden == null) {
                    if (open != null && isDone(open.ch, open.fileKey)) {
                        // the live file is one already finished (nothing rotated since): go on where it ended
                        open.readPos = open.ch.size();
                        open.committed = open.readPos;
                        open.submitted = open.readPos;
                    }
                    break;
                }
                if (open != null) {
                    open.ch.close();
                }
                LOG.infof("%s: rotated again while moving on: reading %s first", key, hidden.path().getFileName());
                meters.rotated();
                nextFile = hidden;
            }
            open = openedSibling(nextFile, nextFile.key(), 0); // null: renamed since the look, look again
        }
        shippedEnd = shippedEndOf(open);
        resetParsing();
        if (open != null) {
            // the cursor now names the new file (stored after every commit handed over before, as they are in order)
            commits.submit(new CursorCommits.Commit(cursor(), List.of(), List.of(), () -> cursorStored = true));
        }
    }

    /**
     * The oldest rotated sibling not finished yet, not the live file, not older than {@code after}; or null. Every
     * decision is taken on one consistent view of the siblings (by inode, not by name): a rotation shifting the
     * names meanwhile makes the look start again on a new view, never skip a file.
     */
    private RotatedSiblings.Sibling nextRotated(String liveKey, java.nio.file.attribute.FileTime after) throws IOException {
        look:
        for (int attempt = 0; attempt < 20; attempt++) {
            for (RotatedSiblings.Sibling s : RotatedSiblings.of(source.path())) {
                siblingLook.accept(s.path());
                if (s.key().equals(liveKey) || (after != null && s.modified().compareTo(after) < 0)) {
                    continue;
                }
                try (FileChannel ch = RotatedSiblings.open(s)) {
                    if (ch == null) {
                        continue look; // renamed since the view was taken
                    }
                    if (isDone(ch, s.key())) {
                        continue;
                    }
                }
                return s;
            }
            return null;
        }
        throw new IOException(key + ": rotated files are renamed faster than they can be looked at");
    }

    private String identity(FileChannel ch) throws IOException {
        return FileIdentity.current(ch, settings.fingerprintBytes()).hash();
    }

    private boolean isDone(FileChannel ch, String k) throws IOException {
        String id = identity(ch);
        return done.contains(k + "/" + id) || (ch instanceof GzipFileChannel && doneContent.contains(id));
    }

    /**
     * Modification time of the open file, found by its inode whatever its name is now; when it is gone (compressed
     * and deleted by logrotate) the time it had when last seen; null when never seen.
     */
    private java.nio.file.attribute.FileTime modified(Opened o) throws IOException {
        String k = o.actualKey;
        if (k != null && k.equals(FileIdentity.key(o.path))) {
            return Files.getLastModifiedTime(o.path);
        }
        for (RotatedSiblings.Sibling s : RotatedSiblings.of(source.path())) {
            if (s.key().equals(k)) {
                return s.modified();
            }
        }
        return o.seenModified;
    }

    /**
     * The fingerprint of the first {@code length} bytes of {@code o} as they were when it was opened: at start-up
     * the look-up of what Kafka holds takes a second or so, and a copytruncate meanwhile must not make the entries
     * shipped before the crash look like another file's (they were sent again: kill9 duplicated 11 lines so).
     */
    private static String firstBytes(Opened o, int length) throws IOException {
        if (o.head != null && length <= o.head.length) {
            return FileIdentity.of(o.head, length).hash();
        }
        return FileIdentity.fingerprint(o.ch, length);
    }

    /**
     * What Kafka already holds of this file, from the records found after the stored cursor at start-up: those
     * of the same file whose fingerprint matches this file's first bytes. The same file is the same inode, or,
     * for a rotated file that is a copytruncate copy, the live file's inode: the records of what was read from
     * the live file before a crash were shipped under the live file's inode, and a copytruncate since moved those
     * bytes, at the same positions, into a copy with an inode of its own (kill9 shipped the first 8 lines of a
     * live file twice so: read from it at position 0, then again from its copy, opened as a rotated file of its
     * own after the restart).
     */
    private long shippedEndOf(Opened o) throws IOException {
        long max = -1;
        if (o == null) {
            return max;
        }
        String liveKey = o.live ? null : FileIdentity.key(source.path());
        for (java.util.Map.Entry<Shipper.Generation, Long> g : shippedAfter.entrySet()) {
            Shipper.Generation gen = g.getKey();
            boolean sameInode = gen.fileKey().equals(o.fileKey) || gen.fileKey().equals(o.actualKey);
            // a copy is recognised by its content only: a generation without a fingerprint cannot vouch for one
            boolean copyOfLive = gen.fileKey().equals(liveKey) && gen.fingerprintLength() > 0;
            if ((sameInode || copyOfLive) && g.getValue() > max
                    && (gen.fingerprintLength() == 0 || gen.fingerprint().equals(firstBytes(o, gen.fingerprintLength())))) {
                max = g.getValue();
            }
        }
        return max;
    }

    /**
     * A step sent whose acknowledgement is awaited at the next step, after that step's reading and parsing:
     * parsing overlaps Kafka's round trip instead of waiting for it. Its cursor and rows are stored only once
     * Kafka acknowledged it, as before; a crash in between leaves its records after the stored cursor, found
     * there at restart ({@code shippedAfter}) and not sent again.
     */
    private record Pending(Opened file, Shipper.Sent sent, long checkpoint, long lastEnd, long producedEnd, int records,
                           int unparsed, int skipped, Collection<MinuteCounts> minutes, List<LogStore.StoredError> errors) {
    }

    /** The steps sent and not acknowledged yet, oldest first: at most steps-in-flight (1 while nothing new is read). */
    private final java.util.ArrayDeque<Pending> inFlight = new java.util.ArrayDeque<>();
    /** Whether a cursor of this file is stored (found at start, or stored since): more than one step may be in flight. */
    private boolean cursorStored;
    /** A step in flight failed in Kafka (not acknowledged): read by the {@link #rewind} that follows. */
    private boolean kafkaFailed;

    /**
     * A step read and parsed whose records wait to be sent until the step before it is acknowledged (whether it
     * ends its file); null when none. A poll waits at most {@link #ACK_WAIT} for that acknowledgement.
     */
    private Boolean parked;
    /** How many steps may be in flight when the parked step is sent. */
    private int parkedLimit;

    /**
     * What waits for the acknowledgement of the step sent last (and its stored cursor), at the next polls: moving on
     * from a finished file, reading a truncated one again from 0. A poll waits at most {@link #ACK_WAIT} for it, as
     * for a parked step: the give-up is the producer's, never ack-timeout + a grace blocking the thread.
     */
    private AfterAck afterAck;

    /** A truncation seen while the step before it was not acknowledged yet: handled at the next poll. */
    private boolean truncationWaits;

    private interface AfterAck {
        void run() throws Exception;
    }
    static final Duration ACK_WAIT = Duration.ofMillis(500);
    /**
     * The longest wait for the commits handed over, where the tailer needs them stored (moving on, a truncation, going
     * back after a failure): a commit ends within the pool's acquisition timeout plus the socket timeout (5 + 30 s).
     */
    static final Duration STORE_WAIT = Duration.ofSeconds(60);

    /**
     * Completes the steps in flight whose acknowledgement arrived (or failed: thrown), oldest first, each stored in turn
     * ({@link #completePending}); waits at most {@code wait} for the oldest while {@code limit} or more are in flight.
     *
     * @return whether fewer than {@code limit} are in flight now
     */
    private boolean room(Duration wait, int limit) throws Exception {
        while (!inFlight.isEmpty() && inFlight.peek().sent().arrived(inFlight.size() >= limit ? wait : Duration.ZERO)) {
            completePending();
        }
        return inFlight.size() < limit;
    }

    /**
     * Takes the oldest step in flight (its acknowledgement arrived) and hands its cursor over to be stored: in the order
     * sent, so a cursor is stored only after every step before it; whether there was one. A failed step throws: the
     * steps sent after it are dropped and shipped again from the stored cursor ({@link #rewind}).
     */
    private boolean completePending() throws Exception {
        Pending p = inFlight.poll();
        if (p == null) {
            return false;
        }
        Shipper.Ack ack;
        try {
            ack = p.sent().await();
        } catch (Exception e) {
            kafkaFailed = true; // the steps sent after it are not counted as shipped (see rewind)
            throw e;
        }
        if (ack != null) {
            lastPartition = ack.partition();
            lastOffset = ack.offset();
        }
        if (p.records() > 0) {
            // Kafka holds them now, whether or not the commit below succeeds: a retry after a failed commit
            // (PostgreSQL away) counts them again but does not ship them twice.
            shippedEnd = Math.max(shippedEnd, p.lastEnd());
        }
        Opened f = p.file();
        TailCursor cursor = new TailCursor(key, f.fileKey, f.fingerprint.hash(), f.fingerprint.length(), p.checkpoint(),
                lastPartition, lastOffset);
        // Stored off this thread (the next step is sent meanwhile), in order; what follows runs here once it is stored.
        commits.submit(new CursorCommits.Commit(cursor, p.minutes(), p.errors(), () -> {
            aggregates.add(p.minutes());
            shippedEntries += p.records();
            // the meter counts those found in Kafka already too: a failed commit's step, read again, is not sent again
            meters.entriesShipped(p.records() + p.skipped(), p.unparsed());
            skippedAsShipped += p.skipped();
            shippedEnd = Math.max(shippedEnd, p.producedEnd());
            f.committed = p.checkpoint();
            cursorStored = true;
        }));
        return true;
    }

    /**
     * Builds and sends the step's records; stores the cursor of the step sent before once it is acknowledged (it
     * arrived before this is called). The step's own acknowledgement is awaited at a later poll.
     */
    private boolean shipAndCommit() throws Exception {
        boolean completed = false;
        while (!inFlight.isEmpty() && inFlight.peek().sent().arrived(Duration.ZERO)) {
            completed |= completePending();
        }
        long checkpoint = checkpoint();
        if (produced.isEmpty() && checkpoint == open.submitted) {
            prepared = null;
            return completed;
        }
        // With a step still in flight the writer thread is busy handing it to the producer: this step's values are
        // written here now (with the writer's help if it gets to it), not left to the writer alone after that hand-over.
        PreparedStep step = prepared != null && prepared.stillFor(open, produced, checkpoint, shippedEnd) ? prepared
                : prepare(!inFlight.isEmpty() && !produced.isEmpty());
        prepared = null;
        boolean nothingToSend = step.toShip().isEmpty() && step.immediate().isEmpty();
        if (!cursorStored && !nothingToSend) {
            storeIdentity();
        }
        Shipper.Records records = step.values() != null ? Shipper.Records.of(step.values()) : records(step);
        Shipper.Sent sent = nothingToSend ? () -> null
                : shipper.send(key, inFlight.isEmpty() ? records : afterHandedOver(inFlight, records), step.immediate());
        open.submitted = checkpoint;
        inFlight.add(new Pending(open, sent, checkpoint, step.lastEnd(), produced.isEmpty() ? -1 : produced.get(produced.size() - 1).end(),
                step.toShip().size(), step.unparsed(), step.skipped(), step.minutes().values(), step.errors()));
        produced.clear();
        producedRules.clear();
        return true;
    }

    /**
     * Before the first records of a file with no cursor stored yet go to Kafka: its identity (inode and fingerprint) is
     * stored with its committed position (0 for a new file), and waited for. Without it, a kill -9 after Kafka took the
     * first step and before that step's cursor was stored, then a rename before the restart, left the restart with no
     * cursor: it read the new live file from 0 and never found the renamed one, whose unread rest was lost. With it, the
     * restart finds the renamed file by its identity, as for any stored cursor, and resumes there. The identity also
     * carries the key's partition and that partition's last offset taken now, before the first records are sent: the
     * restart reads back from there what was shipped after it, as after any acknowledged record, and does not ship it
     * again. (When Kafka does not tell them, the identity is stored without them and what the first steps shipped is
     * shipped again: duplicates recognisable by file key, fingerprint and position, not a loss.) Once per file, on this
     * thread: the first step waits one look-up and one commit.
     */
    private void storeIdentity() throws InterruptedException {
        if (lastPartition == null) {
            Shipper.Ack before = shipper.positionBefore(key);
            if (before != null) {
                lastPartition = before.partition();
                lastOffset = before.offset();
            }
        }
        commits.submit(new CursorCommits.Commit(cursor(), List.of(), List.of(), () -> cursorStored = true));
        commits.awaitStored(STORE_WAIT);
    }

    /**
     * The records of a step sent while {@code before} are in flight, handed to the producer only if every one of those
     * was handed over whole: the check runs where the values are taken, on the key's writer thread, after those steps'
     * hand-overs (the writer takes a key's steps in the order sent). A step whose hand-over failed (Kafka away at the
     * hand-over) fails, and with it every step sent after it, none of whose records then reach Kafka ahead of its own,
     * shipped again from the stored cursor in order.
     */
    private static Shipper.Records afterHandedOver(Collection<Pending> before, Shipper.Records records) {
        List<Shipper.Sent> sentBefore = before.stream().map(Pending::sent).toList();
        return new Shipper.Records() {
            @Override
            public int size() {
                return records.size();
            }

            @Override
            public byte[] value(int i) throws IOException {
                if (i == 0) {
                    for (Shipper.Sent s : sentBefore) {
                        if (s.handFailed()) {
                            throw new IOException("a step sent before this one was not handed to Kafka whole: not handing this one over either");
                        }
                    }
                }
                return records.value(i);
            }
        };
    }

    /**
     * A step read and parsed, categorised and counted, and (when built ahead) its record values: built while the step
     * before it waits for Kafka's acknowledgement (by this thread and the shipper's writer thread together), so that only
     * the hand-over to the producer is left for the writer once it arrives. The profile of tail -> Kafka showed the single record writer per file the
     * busiest thread (its JSON about 45 % of its samples) while this thread waited for the acknowledgement.
     */
    private record PreparedStep(Opened file, int producedCount, LogEntry lastProduced, long checkpoint, long shippedEndThen,
                                String fileKey, String fingerprint, int fingerprintLength,
                                List<LogEntry> toShip, List<String> categories, List<byte[]> values, long lastEnd, int unparsed, int skipped,
                                List<LogErrorEntry> immediate, List<LogStore.StoredError> errors, Map<Long, MinuteCounts> minutes) {

        /**
         * Whether it is still what {@link #prepare} would make now: the same entries of the same file generation, and
         * no entry it ships known as shipped since ({@code shippedEnd} only grows while entries wait; a smaller one
         * would mean a rewind, which drops the prepared step anyway).
         */
        boolean stillFor(Opened open, List<LogEntry> produced, long checkpointNow, long shippedEndNow) {
            return file == open && producedCount == produced.size()
                    && (producedCount == 0 || lastProduced == produced.get(producedCount - 1))
                    && checkpoint == checkpointNow && fingerprintLength == open.fingerprint.length()
                    && fingerprint.equals(open.fingerprint.hash()) && fileKey.equals(open.fileKey)
                    && (shippedEndNow == shippedEndThen
                        || (shippedEndNow > shippedEndThen && (toShip.isEmpty() || toShip.get(0).end() > shippedEndNow)));
        }
    }

    /** The step read, made ready to send ahead of the acknowledgement of the one before it (see {@link PreparedStep}). */
    private PreparedStep prepared;

    /**
     * Categorises and counts the entries read, picks those Kafka does not hold yet and, when {@code encode}, writes
     * their record values here (else the shipper's writer does, when it hands them over).
     */
    private PreparedStep prepare(boolean encode) throws IOException {
        long checkpoint = checkpoint();
        if (open.copyEnd == null && open.fingerprint.length() < settings.fingerprintBytes() && checkpoint > open.fingerprint.length()) {
            // A cursor's fingerprint must cover the bytes before its position (up to fingerprint-bytes): a shorter
            // one (a file opened empty, then renamed before its next look) would let a later file on the same
            // inode pass for this one and be resumed in its middle. Widened only while its first bytes still match.
            open.fingerprint = FileIdentity.widen(open.ch, open.fingerprint, settings.fingerprintBytes());
        }
        Instant now = clock.instant();
        List<LogEntry> toShip = new ArrayList<>(produced.size());
        List<String> categories = new ArrayList<>(produced.size());
        long lastEnd = -1;
        List<LogErrorEntry> immediate = new ArrayList<>();
        List<LogStore.StoredError> errors = new ArrayList<>();
        Map<Long, MinuteCounts> minutes = new HashMap<>();
        long lastMinute = Long.MIN_VALUE;
        MinuteCounts counts = null;
        int skipped = 0;
        int unparsed = 0;
        for (int i = 0; i < produced.size(); i++) {
            LogEntry e = produced.get(i);
            CategoryRule rule = producedRules.get(i); // matched as it was parsed (see producedRules)
            String category = rule != null ? rule.id() : e.level().atLeast(Level.WARN) ? io.jitsiops.log.analysis.LogAnalyzer.UNCATEGORIZED : null;
            Instant at = e.timestamp() == null ? now : e.timestamp();
            long minute = Math.floorDiv(at.getEpochSecond(), 60);
            if (minute != lastMinute) { // entries come in time order: one look-up per minute, not per entry
                counts = minutes.computeIfAbsent(minute, m -> new MinuteCounts(source.component(), Instant.ofEpochSecond(m * 60)));
                lastMinute = minute;
            }
            Categorizer.count(counts, e, category);
            if (e.level().atLeast(Level.WARN)) {
                errors.add(new LogStore.StoredError(source.component(), key, e.position(), at, e.level().name(), e.logger(),
                        e.message(), category, rule == null ? null : rule.severity().name(),
                        e.exception() == null ? null : e.exception().className(), e.stackTrace()));
            }
            if (!e.parsed()) {
                unparsed++;
            }
            if (e.end() <= shippedEnd) {
                skipped++;
                continue; // already in Kafka (shipped before a crash or a failed commit)
            }
            toShip.add(e);
            categories.add(category);
            lastEnd = e.end();
            boolean high = e.level().atLeast(Level.ERROR) || (rule != null && rule.severity() == Severity.critical);
            if (high && category != null && aggregates.allowImmediate(source.component(), category)) {
                immediate.add(new LogErrorEntry(source.component(), key, e.position(), at, e.level().name(), e.logger(),
                        e.message(), category, e.stackTrace()));
            }
        }
        String fileKey = open.fileKey;
        String fingerprint = open.fingerprint.hash();
        int fingerprintLength = open.fingerprint.length();
        List<byte[]> values = null;
        if (encode) {
            values = writeAhead(toShip, categories, fileKey, fingerprint, fingerprintLength);
        }
        return new PreparedStep(open, produced.size(), produced.isEmpty() ? null : produced.get(produced.size() - 1), checkpoint,
                shippedEnd, fileKey, fingerprint, fingerprintLength, toShip, categories, values, lastEnd, unparsed, skipped, immediate,
                errors, minutes);
    }

    /** Below this many entries a step's values are written on this thread alone (handing half over costs more). */
    private static final int SHARED_WRITE_MIN = 256;

    /**
     * The step's record values, in order: the first half written by the shipper's writer thread (idle while the step
     * before waits for its acknowledgement: it only hands values to the producer), the second half here meanwhile,
     * each with a writer of its own. The profile with every value written here had this thread the busiest, JSON
     * about 43 % of its samples. This thread never waits for the writer to get to it (busy handing another step to a
     * producer blocked on Kafka's metadata, up to max.block.ms): whoever comes first takes the first half, so it waits
     * at most for a half being written.
     */
    private List<byte[]> writeAhead(List<LogEntry> toShip, List<String> categories, String fileKey, String fingerprint,
                                    int fingerprintLength) throws IOException {
        int n = toShip.size();
        int shared = n >= SHARED_WRITE_MIN ? n / 2 : 0;
        byte[][] all = new byte[n][];
        EntryRecords writer = json; // the writer thread's own: only ever used there (see Shipper.onWriter)
        AtomicInteger firstHalf = new AtomicInteger(); // 1 writer, 2 here
        CompletableFuture<Boolean> head = shared == 0 ? null : shipper.onWriter(key, () -> {
            if (!firstHalf.compareAndSet(0, 1)) {
                return false; // taken here meanwhile
            }
            for (int i = 0; i < shared; i++) {
                all[i] = writer.write(toShip.get(i), fileKey, fingerprint, fingerprintLength, categories.get(i));
            }
            return true;
        });
        for (int i = shared; i < n; i++) {
            all[i] = aheadJson.write(toShip.get(i), fileKey, fingerprint, fingerprintLength, categories.get(i));
        }
        if (head != null && firstHalf.compareAndSet(0, 2)) {
            for (int i = 0; i < shared; i++) { // the writer has not started on it: written here
                all[i] = aheadJson.write(toShip.get(i), fileKey, fingerprint, fingerprintLength, categories.get(i));
            }
        } else if (head != null) {
            try { // being written (or written) by the writer; the future orders its writes before the reads below
                head.get(STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the writer wrote half of the step's values", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("the writer did not write its half of the step's values within " + STORE_WAIT, e);
            }
        }
        return Arrays.asList(all);
    }

    /**
     * The step's record values, written when the shipper hands them to Kafka (on its own thread: the tailer parses
     * its next step meanwhile); the generation's identity as it is now, at the send.
     */
    private Shipper.Records records(PreparedStep step) {
        List<LogEntry> entries = step.toShip();
        List<String> categories = step.categories();
        String fileKey = step.fileKey();
        String fingerprint = step.fingerprint();
        int fingerprintLength = step.fingerprintLength();
        EntryRecords writer = json;
        return new Shipper.Records() {
            @Override
            public int size() {
                return entries.size();
            }

            @Override
            public byte[] value(int i) throws IOException {
                return writer.write(entries.get(i), fileKey, fingerprint, fingerprintLength, categories.get(i));
            }
        };
    }

    /** The first byte not yet in an emitted entry: a pending entry, a pending CRI partial, an over-long line or unread bytes. */
    private long checkpoint() {
        long c = open.readPos;
        if (assembler.pendingStart() >= 0) {
            c = Math.min(c, assembler.pendingStart());
        }
        if (cri != null && cri.pendingStart() >= 0) {
            c = Math.min(c, cri.pendingStart());
        }
        if (splitter.pendingLineStart() >= 0) {
            c = Math.min(c, splitter.pendingLineStart());
        }
        return c;
    }

    private TailCursor cursor() {
        return new TailCursor(key, open.fileKey, open.fingerprint.hash(), open.fingerprint.length(), open.committed,
                lastPartition, lastOffset);
    }

    /** Back to the stored position after a failed step; what was shipped is remembered in shippedEnd. */
    private void rewind() {
        // Shipped again from the stored cursor, in order: the failed step and the steps in flight after it, except, when
        // no step failed in Kafka (a commit failed: PostgreSQL away), those acknowledged already, oldest first, which
        // shippedEnd then covers. After a step Kafka failed, none is counted as shipped even if Kafka acknowledged it:
        // shippedEnd is one position below which everything is in Kafka, which the failed step before them would make
        // untrue (an idempotent producer may deliver a batch after one that expired): they are shipped again after the
        // failed step's records, recognisable by their position (file key, fingerprint, position) as a crash's are.
        boolean acknowledgedCount = !kafkaFailed;
        kafkaFailed = false;
        int dropped = 0;
        for (Pending p : inFlight) {
            if (acknowledgedCount && p.file() == open && arrivedNow(p.sent())) {
                try {
                    p.sent().await();
                    if (p.records() > 0) {
                        shippedEnd = Math.max(shippedEnd, p.lastEnd());
                    }
                    continue;
                } catch (Exception notAcknowledged) {
                    // shipped again from here on
                }
            }
            acknowledgedCount = false;
            dropped++;
        }
        if (dropped > 0) {
            LOG.infof("%s: %d step(s) in flight not acknowledged: shipped again from the stored cursor", key, dropped);
        }
        inFlight.clear();
        prepared = null;
        parked = null;
        afterAck = null;
        truncationWaits = false;
        produced.clear();
        producedRules.clear();
        try {
            commits.reset(STORE_WAIT); // the position really stored: what the commits handed over made of it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("%s: %s", key, e.getMessage());
        }
        if (open != null) {
            open.readPos = open.committed;
            open.submitted = open.committed;
        }
        resetParsing();
    }

    private static boolean arrivedNow(Shipper.Sent sent) {
        try {
            return sent.arrived(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An entry assembled: kept for the step, with the rule it matches. */
    private void produce(LogEntry e) {
        produced.add(e);
        producedRules.add(categorizer.rules().match(source.format().name(), e));
    }

    private void resetParsing() {
        produced.clear();
        producedRules.clear();
        prepared = null;
        assembler = new EntryAssembler(source.component(), LogParsers.create(source.format(), source.zone(), clock),
                settings.maxEntryBytes(), this::produce);
        if (source.cri()) {
            cri = new CriLines(assembler, settings.maxLineBytes());
            splitter = new LineSplitter(settings.maxLineBytes(), new CountedLines(cri));
        } else {
            cri = null;
            splitter = new LineSplitter(settings.maxLineBytes(), new CountedLines(assembler));
        }
    }

    /**
     * Counts each line of the open file once for the source's lines-read counter: by its end against the furthest end
     * counted in that file, so that the lines of a step read again from the stored cursor after a failure are not
     * counted again (a Kafka outage re-reads a step at every retry). A comparison and an increment per line; the sum is
     * handed to the meter once per poll ({@link #publishMeters}).
     */
    private final class CountedLines implements LineSplitter.Sink {
        private final LineSplitter.Sink next;

        CountedLines(LineSplitter.Sink next) {
            this.next = next;
        }

        @Override
        public void line(String text, long start, long end, boolean truncated) {
            Opened o = open;
            if (end > o.linesCountedTo) {
                o.linesCountedTo = end;
                linesCounted++;
            }
            next.line(text, start, end, truncated);
        }
    }

    private void openLive(long position) throws IOException {
        RotatedSiblings.Current current = RotatedSiblings.openCurrent(source.path());
        open = current == null ? null : opened(source.path(), current.channel(), current.key(), current.key(), position, true);
        if (open != null && splitter == null) {
            resetParsing();
        }
    }

    /**
     * A rotated file of the view, opened as the file the view saw, its records and cursor under {@code fileKey}
     * (a copytruncate copy goes on under the original's); null when its name is another file by now.
     */
    private Opened openedSibling(RotatedSiblings.Sibling s, String fileKey, long position) throws IOException {
        FileChannel ch = RotatedSiblings.open(s);
        return ch == null ? null : opened(s.path(), ch, fileKey, s.key(), position, false);
    }

    private Opened opened(Path p, FileChannel ch, String fileKey, String actualKey, long position, boolean live) throws IOException {
        byte[] head = FileIdentity.head(ch, settings.fingerprintBytes());
        Opened o = new Opened(p, ch, fileKey, actualKey, FileIdentity.of(head, head.length), position, live);
        o.head = head;
        try {
            o.seenModified = Files.getLastModifiedTime(p);
        } catch (java.nio.file.NoSuchFileException gone) {
            o.seenModified = null;
        }
        return o;
    }

    /** Whether the channel's first bytes are the cursor's fingerprinted ones (a prefix: the file may have grown). */
    private static boolean matchesPrefix(FileChannel ch, TailCursor c) throws IOException {
        return c.fingerprintLength() == 0 || c.fingerprint().equals(FileIdentity.fingerprint(ch, c.fingerprintLength()));
    }

    @Override
    public void close() {
        try {
            commits.await(Duration.ofSeconds(10)); // a commit handed over lands before a successor reads the cursor
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (open != null) {
            try {
                open.ch.close();
            } catch (IOException e) {
                LOG.debugf("closing %s: %s", key, e.getMessage());
            }
        }
        fileOpen = false;
        bytesBehind = 0;
    }

    public long shippedEntries() {
        return shippedEntries;
    }

    public long skippedAsShipped() {
        return skippedAsShipped;
    }

    /** Steps whose record values were written ahead while the step before waited for Kafka. */
    long stepsBuiltAhead() {
        return stepsBuiltAhead;
    }

    public long failedSteps() {
        return failedSteps;
    }

    public long lostFiles() {
        return lostFiles;
    }

    public String lastError() {
        return lastError;
    }

    /** Whether a step read waits for Kafka's acknowledgement of the one before it (polling again continues it). */
    public boolean waitingForKafka() {
        return parked != null || afterAck != null || truncationWaits || !inFlight.isEmpty() || commits.busy();
    }

    /**
     * Waits at most {@code max} until every cursor handed over is stored (or its commit failed); whether it is so. For
     * callers driving {@link #poll} themselves (tests): a poll returns at once while only commits are in flight.
     */
    boolean awaitCommits(Duration max) throws InterruptedException {
        return commits.await(max);
    }

    /** What {@link SourceMeters}' gauges read: bytes of the open file past the stored cursor, as of the last poll. */
    long bytesBehind() {
        return bytesBehind;
    }

    /** When a new line was last read (0: none yet). */
    long lastLineMillis() {
        return lastLineMillis;
    }

    boolean fileOpen() {
        return fileOpen;
    }

    SourceMeters meters() {
        return meters;
    }

    /** The position the stored cursor is at (every entry before it is acknowledged). */
    public long committedPosition() {
        return open == null ? -1 : open.committed;
    }
}
