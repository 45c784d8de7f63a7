package io.jitsiops.alert.rule;

import java.util.List;
import java.util.Optional;

/** A parsed, valid rules file: the rules, the routing tree and the inhibitions. */
public record RuleFile(List<Rule> rules, Route route, List<InhibitRule> inhibitRules) {

    public Optional<Rule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
