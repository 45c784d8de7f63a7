package io.jitsiops.sim.jitsi;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import io.jitsiops.sim.jitsi.upstream.Conference;
import io.jitsiops.sim.jitsi.upstream.JitsiMeetConferenceImpl;

/**
 * Error entries for the admin API's log bursts, written by the upstream call sites with a real exception chain, so
 * {@code printStackTrace} gives its real shape: the exception, {@code \tat} frames, {@code Caused by:} and
 * {@code \t... N more}. The exception classes and frames are the simulator's own (upstream's classes are not
 * published), the log lines around them are upstream's.
 */
final class JitsiErrors {
    private JitsiErrors() {
    }

    static void jvb(List<Conference> conferences) {
        if (conferences.isEmpty()) {
            return;
        }
        Conference c = conferences.get(ThreadLocalRandom.current().nextInt(conferences.size()));
        JitsiLogs.as(JitsiLogs.JVB, () -> c.colibriRequestFailed(failure(() -> lookUp("endpoint"))));
    }

    static void jicofo(List<JitsiMeetConferenceImpl> conferences) {
        if (conferences.isEmpty()) {
            return;
        }
        JitsiMeetConferenceImpl c = conferences.get(ThreadLocalRandom.current().nextInt(conferences.size()));
        String participant = String.format("%08x", ThreadLocalRandom.current().nextInt());
        JitsiLogs.as(JitsiLogs.JICOFO, () -> c.inviteRunnable(participant).doRun(failure(JitsiErrors::allocate)));
    }

    private static Exception failure(Runnable failing) {
        try {
            failing.run();
            return new IllegalStateException("no failure");
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void lookUp(String what) {
        try {
            throw new NoSuchElementException("No " + what + " with the given id");
        } catch (NoSuchElementException e) {
            throw new IllegalArgumentException("Invalid colibri2 request", e);
        }
    }

    private static void allocate() {
        try {
            throw new TimeoutException("No response from the bridge within 15000 ms");
        } catch (TimeoutException e) {
            throw new IllegalStateException("Colibri allocation failed", e);
        }
    }
}
