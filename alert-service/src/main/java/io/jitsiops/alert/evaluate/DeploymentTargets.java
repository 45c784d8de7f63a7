package io.jitsiops.alert.evaluate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Jitsi targets the deployment description names, by component ({@code prosody}, {@code jicofo}, {@code jvb},
 * {@code web}: the components whose targets come from the description, in the health- and metrics-service alike).
 * A bridge scaled down or decommissioned is taken out of the description; the services stop probing and scraping it,
 * and its series go silent. What it is for: an absence rule must not call that silence "jitsi-ops is blind to it"
 * for ever (a critical alert per retired bridge, paged and persisted across restarts), as Prometheus's own alerts
 * end when a target leaves service discovery. RuleEvaluator applies it to the rules of health results and status and
 * of component metrics only, the inputs whose targets are the description's.
 */
public final class DeploymentTargets {
    /** No description: no target is retired (alert-service runs without one where Prometheus alone posts). */
    public static final DeploymentTargets NONE = new DeploymentTargets(null);
    private static final List<String> COMPONENTS = List.of("prosody", "jicofo", "jvb", "web");

    private final Map<String, Set<String>> named;

    private DeploymentTargets(Map<String, Set<String>> named) {
        this.named = named;
    }

    /** @param namesByComponent the target names of each Jitsi component the description lists (a missing one: none) */
    public static DeploymentTargets of(Map<String, ? extends java.util.Collection<String>> namesByComponent) {
        Map<String, Set<String>> m = new HashMap<>();
        for (String component : COMPONENTS) {
            java.util.Collection<String> names = namesByComponent.get(component);
            m.put(component, names == null ? Set.of() : Set.copyOf(names));
        }
        return new DeploymentTargets(Map.copyOf(m));
    }

    /**
     * Whether these labels are about a Jitsi target the description does not name (any more): a {@code component}
     * of the four and a {@code target} that is not among its targets. False without a description, and for labels
     * of other components (hosts, Janssen, backups, logs), whose names do not all come from the description's lists.
     */
    public boolean retires(Map<String, String> labels) {
        if (named == null) {
            return false;
        }
        String component = labels.get("component");
        String target = labels.get("target");
        if (component == null || target == null) {
            return false;
        }
        Set<String> names = named.get(component);
        return names != null && !names.contains(target);
    }
}
