package io.jitsiops.log.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * bench/logs: what the log-service's threads did during the recorded tail -> Kafka run, per thread: execution samples
 * (on CPU), and the time spent parked ({@code jdk.ThreadPark}), waiting on a monitor ({@code jdk.JavaMonitorWait},
 * {@code jdk.JavaMonitorEnter}) or in a socket read/write ({@code jdk.SocketRead}/{@code Write}: PostgreSQL, Kafka),
 * each with the frame of the service's own code (io.jitsiops) it waited in, the largest first. Waits shorter than the
 * recording's thresholds (bench/logs/waits.jfc: 1 ms) are not in it.
 * Usage: JfrWaits RECORDING.jfr [THREADS_SHOWN]
 */
public final class JfrWaits {
    private JfrWaits() {
    }

    private static final String[] WAITS = {"jdk.ThreadPark", "jdk.JavaMonitorWait", "jdk.JavaMonitorEnter", "jdk.SocketRead",
            "jdk.SocketWrite"};

    public static void main(String[] args) throws IOException {
        int shown = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Map<String, Long> samples = new HashMap<>();
        Map<String, Map<String, Duration>> waits = new HashMap<>(); // thread -> "event @ frame" -> total
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.ExecutionSample")) {
                samples.merge(thread(e.getThread("sampledThread")), 1L, Long::sum);
                continue;
            }
            for (String w : WAITS) {
                if (type.equals(w)) {
                    String where = type.substring(4) + " @ " + ownFrame(e.getStackTrace());
                    waits.computeIfAbsent(thread(e.getThread()), t -> new HashMap<>()).merge(where, e.getDuration(), Duration::plus);
                }
            }
        }
        Map<String, Duration> totalWait = new HashMap<>();
        waits.forEach((t, m) -> totalWait.put(t, m.values().stream().reduce(Duration.ZERO, Duration::plus)));
        TreeMap<Long, String> order = new TreeMap<>();
        java.util.Set<String> threads = new java.util.HashSet<>(samples.keySet());
        threads.addAll(waits.keySet());
        long tie = 0;
        for (String t : threads) {
            order.put(-(samples.getOrDefault(t, 0L) * 1_000_000L + tie++), t);
        }
        System.out.println("thread: execution samples (on CPU); waits over 1 ms, total and where (the service's frame)");
        int n = 0;
        for (String t : order.values()) {
            if (n++ >= shown) {
                break;
            }
            System.out.printf("  %-40s samples %5d  waited %6d ms%n", t, samples.getOrDefault(t, 0L),
                    totalWait.getOrDefault(t, Duration.ZERO).toMillis());
            waits.getOrDefault(t, Map.of()).entrySet().stream()
                    .sorted((a, b) -> b.getValue().compareTo(a.getValue())).limit(4)
                    .forEach(w -> System.out.printf("      %6d ms  %s%n", w.getValue().toMillis(), w.getKey()));
        }
    }

    private static String thread(RecordedThread t) {
        return t == null ? "?" : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    }

    /** The innermost frame of jitsi-ops' code, else the innermost outside java.*, jdk.*, sun.*. */
    private static String ownFrame(RecordedStackTrace st) {
        if (st == null) {
            return "?";
        }
        String fallback = null;
        for (RecordedFrame f : st.getFrames()) {
            String type = f.getMethod().getType().getName();
            String m = type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
            if (type.startsWith("io.jitsiops.")) {
                return m;
            }
            if (fallback == null && !type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                fallback = type + "." + f.getMethod().getName();
            }
        }
        return fallback != null ? fallback : "?";
    }
}
