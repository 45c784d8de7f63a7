package io.jitsiops.alert.notify;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jitsiops.alert.rule.InhibitRule;
import io.jitsiops.alert.rule.Matcher;

/**
 * The inhibit stage (Alertmanager's {@code inhibit.Inhibitor.Mutes}): an alert is muted when a firing alert
 * matching an inhibit rule's source has the same {@code equal} labels and the alert matches its target. An alert
 * never inhibits itself. It works on the persisted set of firing alerts, so after a restart the sources are known
 * before the first flush and an inhibited alert does not fire (Alertmanager issue #4064).
 */
public final class Inhibitor {
    private Inhibitor() {
    }

    public static boolean mutes(List<InhibitRule> rules, Alert alert, Collection<Alert> firing) {
        return inhibitedBy(rules, alert, firing) != null;
    }

    /**
     * The fingerprint of the firing alert that inhibits this one, or null: the first source found, as Alertmanager's
     * {@code Inhibitor.Mutes} marks one inhibiting fingerprint ({@code marker.SetInhibited(fp, inhibitedBy)}).
     */
    public static String inhibitedBy(List<InhibitRule> rules, Alert alert, Collection<Alert> firing) {
        for (InhibitRule rule : rules) {
            if (!Matcher.all(rule.target(), alert.labels())) {
                continue;
            }
            for (Alert source : firing) {
                if (source.fingerprint().equals(alert.fingerprint()) || !source.firing()
                        || !Matcher.all(rule.source(), source.labels())) {
                    continue;
                }
                if (equal(rule.equal(), source.labels(), alert.labels())) {
                    return source.fingerprint();
                }
            }
        }
        return null;
    }

    private static boolean equal(List<String> names, Map<String, String> a, Map<String, String> b) {
        for (String n : names) {
            if (!Objects.equals(a.getOrDefault(n, ""), b.getOrDefault(n, ""))) {
                return false;
            }
        }
        return true;
    }
}
