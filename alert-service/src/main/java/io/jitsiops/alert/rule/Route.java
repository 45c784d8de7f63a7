package io.jitsiops.alert.rule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node of the routing tree, as Alertmanager's {@code dispatch.Route}: an alert goes down the tree to the first
 * child whose matchers match (further siblings too when that child has {@code continue}); when no child matches,
 * the node itself takes it. Children inherit what they do not set, except the time intervals, which apply to the
 * node that names them only (as in Alertmanager); {@link #id()} is the node's path ("0.1").
 *
 * @param muteTimeIntervals   names of {@code time_intervals} during which this node notifies nobody
 * @param activeTimeIntervals names of {@code time_intervals} outside which this node notifies nobody (none: always)
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
        List<String> muteTimeIntervals,
        List<String> activeTimeIntervals,
        List<Route> routes) {

    /** The routes that take an alert with these labels (Alertmanager's {@code Route.Match}); not to be modified. */
    public List<Route> match(Map<String, String> labels) {
        if (!Matcher.all(matchers, labels)) {
            return List.of();
        }
        // every alert of the intake goes through here: a list is copied only when two children take the alert
        // (continue), a single match is passed up as it is (an ArrayList per level showed in the allocation profile)
        List<Route> all = null;
        for (Route child : routes) {
            List<Route> matched = child.match(labels);
            if (matched.isEmpty()) {
                continue;
            }
            if (all == null) {
                all = matched;
            } else {
                List<Route> both = new ArrayList<>(all);
                both.addAll(matched);
                all = both;
            }
            if (!child.continueMatching) {
                break;
            }
        }
        return all == null ? List.of(this) : all;
    }

    /** Every receiver named in this subtree. */
    public List<String> receivers() {
        return subtree().stream().map(Route::receiver).toList();
    }

    /** This node and every node below it, depth first (the tree's order: ids "0", "0.0", "0.0.0", "0.1"…). */
    public List<Route> subtree() {
        List<Route> all = new ArrayList<>(List.of(this));
        routes.forEach(r -> all.addAll(r.subtree()));
        return all;
    }

    /**
     * The labels of the aggregation group an alert with these labels joins on this node: its {@code group_by} labels
     * that the alert has, in name order (Alertmanager's group labels; an absent one is left out, not empty).
     */
    public Map<String, String> groupLabels(Map<String, String> labels) {
        Map<String, String> group = new java.util.TreeMap<>();
        for (String name : groupBy) {
            String value = labels.get(name);
            if (value != null) {
                group.put(name, value);
            }
        }
        return java.util.Collections.unmodifiableMap(group);
    }
}
