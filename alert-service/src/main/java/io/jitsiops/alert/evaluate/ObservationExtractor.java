package io.jitsiops.alert.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jitsiops.alert.rule.RuleInput;
import io.jitsiops.events.CloudEvent;
import io.jitsiops.events.EventPayload;
import io.jitsiops.events.payload.BackupLifecycle;
import io.jitsiops.events.payload.ComponentMetricSample;
import io.jitsiops.events.payload.ConferenceQualitySample;
import io.jitsiops.events.payload.HealthCheckResult;
import io.jitsiops.events.payload.HealthStatus;
import io.jitsiops.events.payload.HealthStatusChanged;
import io.jitsiops.events.payload.LogErrorEntry;
import io.jitsiops.events.payload.LogWindowAggregate;

/**
 * Turns each event type of the contract into named values a rule can compare. The names (documented in the
 * shipped rules file) are:
 * <ul>
 * <li>health results: {@code health.status} (UP 0, DEGRADED 1, DOWN 2), {@code health.latency_ms}, and every
 * measurement by its own name ({@code tls.cert_days_to_expiry}, {@code cpu.usage_percent}, …); labels component,
 * target, check. Status changes: {@code health.status}; labels component, target.</li>
 * <li>component samples: every value by its name (e.g. {@code stress_level}); labels component, target.</li>
 * <li>conference quality: {@code conference.bitrate_kbps}, {@code conference.fps}, {@code conference.packet_loss_percent},
 * {@code conference.jitter_ms}, {@code conference.participants}; labels component=jvb, target (the bridge), room.
 * Bitrate and fps have no value (NaN) in a sample that says nobody sent video ({@code videoSent} false): an alert
 * on them resolves, none starts.</li>
 * <li>log entries: {@code log.entry} = 1; labels component, level, category. Window aggregates:
 * {@code log.error_rate_percent}, {@code log.errors}, {@code log.warnings}, {@code log.category.<name>}; label component.</li>
 * <li>backups: {@code backup.failed} (1 FAILED, 0 COMPLETED), {@code backup.completed} (1 on COMPLETED: its absence is a
 * missed schedule), {@code backup.verify_failed} and {@code backup.verified} (VERIFIED with or without an error),
 * {@code restore.failed} (1 RESTORE_FAILED or RESTORE_ROLLED_BACK, 0 RESTORE_COMPLETED); label schedule.</li>
 * </ul>
 * Alert events ({@code jitsi-ops.alerts}, our own output) give nothing.
 */
public final class ObservationExtractor {

    /**
     * The label names the observations of each input carry (the {@code labels(...)} calls below): what an alert's
     * labels hold besides those its rule adds, so that an alert persisted under older rules can be told apart.
     * Null for alerts posted by Prometheus, whose labels are their own.
     */
    public static java.util.Set<String> labelNames(RuleInput input) {
        return switch (input) {
            case HEALTH_RESULT -> java.util.Set.of("component", "target", "check");
            case HEALTH_STATUS, COMPONENT_METRIC -> java.util.Set.of("component", "target");
            case CONFERENCE_QUALITY -> java.util.Set.of("component", "target", "room");
            case LOG_ENTRY -> java.util.Set.of("component", "level", "category");
            case LOG_WINDOW -> java.util.Set.of("component");
            case BACKUP -> java.util.Set.of("schedule");
            case PROMETHEUS -> null;
        };
    }

    public List<Observation> extract(CloudEvent<EventPayload> event) {
        String id = event.id();
        List<Observation> out = new ArrayList<>();
        EventPayload data = event.data();
        if (data instanceof HealthCheckResult r) {
            Map<String, String> labels = labels("component", r.component(), "target", r.target(), "check", r.check());
            out.add(new Observation(RuleInput.HEALTH_RESULT, "health.status", status(r.status()), labels, id));
            if (r.latencyMs() != null) {
                out.add(new Observation(RuleInput.HEALTH_RESULT, "health.latency_ms", r.latencyMs(), labels, id));
            }
            r.measurements().forEach((k, v) -> out.add(new Observation(RuleInput.HEALTH_RESULT, k, v, labels, id)));
        } else if (data instanceof HealthStatusChanged c) {
            out.add(new Observation(RuleInput.HEALTH_STATUS, "health.status", status(c.current()),
                    labels("component", c.component(), "target", c.target()), id));
        } else if (data instanceof ComponentMetricSample s) {
            Map<String, String> labels = labels("component", s.component(), "target", s.target());
            s.values().forEach((k, v) -> out.add(new Observation(RuleInput.COMPONENT_METRIC, k, v, labels, id)));
        } else if (data instanceof ConferenceQualitySample q) {
            Map<String, String> labels = labels("component", "jvb", "target", q.bridge(), "room", q.roomName());
            RuleInput in = RuleInput.CONFERENCE_QUALITY;
            // nobody sent video (cameras off, an audio-only call): its 0 kbps and 0 fps are no video, not starved video
            boolean noVideo = Boolean.FALSE.equals(q.videoSent());
            out.add(new Observation(in, "conference.bitrate_kbps", noVideo ? Double.NaN : q.bitrateKbps(), labels, id));
            out.add(new Observation(in, "conference.fps", noVideo ? Double.NaN : q.framesPerSecond(), labels, id));
            out.add(new Observation(in, "conference.packet_loss_percent", q.packetLossPercent(), labels, id));
            out.add(new Observation(in, "conference.jitter_ms", q.jitterMs(), labels, id));
            out.add(new Observation(in, "conference.participants", q.participants(), labels, id));
        } else if (data instanceof LogErrorEntry e) {
            out.add(new Observation(RuleInput.LOG_ENTRY, "log.entry", 1,
                    labels("component", e.component(), "level", e.level(), "category", e.category()), id));
        } else if (data instanceof LogWindowAggregate w) {
            Map<String, String> labels = labels("component", w.component());
            RuleInput in = RuleInput.LOG_WINDOW;
            out.add(new Observation(in, "log.error_rate_percent", w.errorRatePercent(), labels, id));
            out.add(new Observation(in, "log.errors", w.errors(), labels, id));
            out.add(new Observation(in, "log.warnings", w.warnings(), labels, id));
            w.errorsByCategory().forEach((k, v) -> out.add(new Observation(in, "log.category." + k, v, labels, id)));
        } else if (data instanceof BackupLifecycle b) {
            backup(b, id, out);
        }
        // alert state changes are this service's own output: nothing to evaluate
        return out;
    }

    private static void backup(BackupLifecycle b, String id, List<Observation> out) {
        Map<String, String> labels = labels("schedule", b.schedule());
        RuleInput in = RuleInput.BACKUP;
        switch (b.phase()) {
            case FAILED -> out.add(new Observation(in, "backup.failed", 1, labels, id));
            case COMPLETED -> {
                out.add(new Observation(in, "backup.failed", 0, labels, id));
                out.add(new Observation(in, "backup.completed", 1, labels, id));
            }
            case VERIFIED -> {
                boolean failed = b.error() != null && !b.error().isBlank();
                out.add(new Observation(in, "backup.verify_failed", failed ? 1 : 0, labels, id));
                if (!failed) {
                    out.add(new Observation(in, "backup.verified", 1, labels, id));
                }
            }
            case RESTORE_FAILED, RESTORE_ROLLED_BACK -> out.add(new Observation(in, "restore.failed", 1, labels, id));
            case RESTORE_COMPLETED -> out.add(new Observation(in, "restore.failed", 0, labels, id));
            default -> {
                // started, pruned, restore steps: progress, nothing to compare
            }
        }
    }

    private static double status(HealthStatus s) {
        return s.ordinal(); // UP 0, DEGRADED 1, DOWN 2: HealthStatus is ordered from best to worst
    }

    /**
     * Immutable, so that every {@link Observation} of an event keeps this one map ({@code Map.copyOf} of it is
     * itself) instead of a copy per value, and the evaluator sees that they are about the same thing.
     */
    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null && !kv[i + 1].isBlank()) {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return Map.copyOf(m);
    }
}
