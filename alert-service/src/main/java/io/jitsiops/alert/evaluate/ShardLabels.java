package io.jitsiops.alert.evaluate;

import java.util.HashMap;
import java.util.Map;

/**
 * The derived {@code shard} label: which Jitsi shard (a jicofo with its bridges) an alert's {@code target} belongs
 * to, as the deployment description says ({@code jitsi.jicofo[].shard}, {@code jitsi.jvb[].shard}). No event
 * carries a shard; it is a function of the target, so it is added to an alert's labels (for rule matchers, routing,
 * inhibition, silences, templates and every receiver) but never to its identity: see
 * {@link Fingerprints#ofRuleAlert}. A label {@code shard} that is already there (posted by Prometheus) is kept as
 * it is; a target the description does not name gets no shard label (never an empty one).
 */
public final class ShardLabels {
    public static final String SHARD = "shard";
    public static final String TARGET = "target";
    /** No description, or one without shards: nothing is added. */
    public static final ShardLabels NONE = new ShardLabels(Map.of());

    private final Map<String, String> shardByTarget;

    private ShardLabels(Map<String, String> shardByTarget) {
        this.shardByTarget = shardByTarget;
    }

    /** @param shardByTarget target name → shard name; blank shards are left out */
    public static ShardLabels of(Map<String, String> shardByTarget) {
        Map<String, String> m = new HashMap<>();
        shardByTarget.forEach((target, shard) -> {
            if (target != null && shard != null && !shard.isBlank()) {
                m.put(target, shard);
            }
        });
        return m.isEmpty() ? NONE : new ShardLabels(Map.copyOf(m));
    }

    /** The shard of a target; null when the description does not name the target or gives it no shard. */
    public String shardOf(String target) {
        return target == null ? null : shardByTarget.get(target);
    }

    public Map<String, String> shardByTarget() {
        return shardByTarget;
    }

    /**
     * {@code labels} with the shard of their target added; the same instance when there is nothing to add (no
     * target, a target without shard, or a shard label already present). A {@link SortedLabels} stays one.
     */
    public Map<String, String> derive(Map<String, String> labels) {
        if (shardByTarget.isEmpty() || labels.containsKey(SHARD)) {
            return labels;
        }
        String shard = shardOf(labels.get(TARGET));
        if (shard == null) {
            return labels;
        }
        Map<String, String> with = new HashMap<>(labels);
        with.put(SHARD, shard);
        return labels instanceof SortedLabels ? SortedLabels.of(with, null) : Map.copyOf(with);
    }
}
