package io.jitsiops.alert.rule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node of the routing tree, as Alertmanager's {@code dispatch.Route}: an alert goes down the tree to the first
 * child whose matchers match (further siblings too when that child has {@code continue}); when no child matches,
 * the node itself takes it. Children inherit what they do not set; {@link #id()} is the node's path ("0.1").
 */
public record Route(
        String id,
        String receiver,
        List<String> groupBy,
        Duration groupWait,
        Duration groupInterval,
        Duration repeatInterval,
        List<Matcher> matchers,
        boolean continueMatching,
        List<Route> routes) {

    /** The routes that take an alert with these labels (Alertmanager's {@code Route.Match}). */
    public List<Route> match(Map<String, String> labels) {
        if (!Matcher.all(matchers, labels)) {
            return List.of();
        }
        List<Route> all = new ArrayList<>();
        for (Route child : routes) {
            List<Route> matched = child.match(labels);
            all.addAll(matched);
            if (!matched.isEmpty() && !child.continueMatching) {
                break;
            }
        }
        if (all.isEmpty()) {
            all.add(this);
        }
        return all;
    }

    /** Every receiver named in this subtree. */
    public List<String> receivers() {
        List<String> names = new ArrayList<>(List.of(receiver));
        routes.forEach(r -> names.addAll(r.receivers()));
        return names;
    }
}
