package io.jitsiops.alert.rule;

import java.util.List;

/**
 * Alertmanager's inhibition: a firing alert matching {@code source} mutes alerts matching {@code target} that
 * have the same values of the {@code equal} labels (critical mutes the matching warning; a component that is DOWN
 * mutes that component's metric alerts).
 */
public record InhibitRule(List<Matcher> source, List<Matcher> target, List<String> equal) {
}
