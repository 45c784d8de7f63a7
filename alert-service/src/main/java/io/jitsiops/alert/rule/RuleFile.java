package io.jitsiops.alert.rule;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, valid rules file: the rules, the routing tree, the inhibitions and the named time intervals its routes
 * mute or are active in (every name a route gives is defined here).
 */
public record RuleFile(List<Rule> rules, Route route, List<InhibitRule> inhibitRules,
                       Map<String, List<TimeInterval>> timeIntervals) {

    public RuleFile {
        timeIntervals = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timeIntervals)); // file order, for the API
    }

    public Optional<Rule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
