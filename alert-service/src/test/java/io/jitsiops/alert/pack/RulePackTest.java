package io.jitsiops.alert.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.rule.Rule;
import io.jitsiops.alert.rule.RuleFile;

/**
 * The shipped rule pack is complete: every rule has a summary, a runbook (what it means / what to check / what to
 * do), a dashboard link, the pack and family labels, and is named by at least one scenario test ({@link Covers} on
 * the methods of the scenario classes); no scenario names a rule the pack does not have.
 */
class RulePackTest {
    /** The classes whose methods prove rules of the pack. */
    static final List<Class<?>> SCENARIO_CLASSES = List.of(RulePackScenariosTest.class, scenarioClass("RulePackDeliveryTest"));

    /** The ladder from low to high (the enum's order is historical: INFO was added last). */
    private static final List<String> RANK = List.of("INFO", "WARNING", "CRITICAL");
    private static final RuleFile PACK = PackHarness.parse(PackHarness.packText());

    private static Class<?> scenarioClass(String name) {
        try {
            return Class.forName("io.jitsiops.alert." + name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theShippedFileIsThePackAndItIsNotEmpty() {
        assertThat(PACK.rules()).hasSizeGreaterThan(50);
    }

    @Test
    void everyRuleHasASummaryARunbookAndADashboardLink() {
        for (Rule r : PACK.rules()) {
            assertThat(r.summary().source()).as(r.name() + " summary").isNotBlank();
            assertThat(r.description().source()).as(r.name() + " runbook")
                    .contains("What it means").contains("What to check").contains("What to do");
            assertThat(r.dashboard()).as(r.name() + " dashboard link").isPresent();
            assertThat(r.dashboard().orElseThrow().source()).as(r.name() + " dashboard link")
                    .startsWith("{grafana}/d/jitsi-ops-");
            assertThat(r.labels()).as(r.name() + " labels").containsEntry("pack", "jitsi").containsKey("family");
        }
    }

    @Test
    void everyDashboardLinkNamesADashboardThatShips() {
        Set<String> shipped = Set.of("jitsi-ops-health", "jitsi-ops-metrics", "jitsi-ops-alerts", "jitsi-ops-backups");
        for (Rule r : PACK.rules()) {
            String uid = r.dashboard().orElseThrow().source().replaceFirst("^\\{grafana}/d/", "").replaceFirst("[?/].*$", "");
            assertThat(shipped).as(r.name() + " links dashboard " + uid + " (k8s/base/dashboards)").contains(uid);
        }
    }

    @Test
    void severitiesFollowTheLadderAndOnlyWarningOrCriticalPages() {
        for (Rule r : PACK.rules()) {
            if (r.page()) {
                assertThat(r.severity().name()).as(r.name()).isIn("WARNING", "CRITICAL");
            }
        }
        // each family's levels are ordered: a higher severity never has a lower bar than a lower one of the same metric
        Map<String, List<Rule>> byFamilyAndMetric = PACK.rules().stream().filter(r -> !r.isAbsence()
                        && r.direction() != io.jitsiops.alert.rule.Direction.EQUAL)
                .collect(Collectors.groupingBy(r -> r.labels().get("family") + "/" + r.metric() + "/" + r.matchers()));
        byFamilyAndMetric.forEach((key, rules) -> {
            List<Rule> sorted = rules.stream().sorted(java.util.Comparator.comparingInt(r -> RANK.indexOf(r.severity().name()))).toList();
            for (int i = 1; i < sorted.size(); i++) {
                Rule lower = sorted.get(i - 1);
                Rule higher = sorted.get(i);
                if (lower.severity() == higher.severity()) {
                    continue;
                }
                boolean above = higher.direction() == io.jitsiops.alert.rule.Direction.ABOVE;
                boolean ordered = above ? higher.threshold() >= lower.threshold() : higher.threshold() <= lower.threshold();
                boolean longerHold = higher.threshold().equals(lower.threshold())
                        && higher.forDuration().compareTo(lower.forDuration()) > 0;
                assertThat(ordered || longerHold).as(key + ": " + higher.name() + " after " + lower.name()).isTrue();
            }
        });
    }

    @Test
    void everyRuleOfThePackIsNamedByAScenarioTestAndEveryNamedRuleExists() {
        Map<String, List<String>> coveredBy = new HashMap<>();
        for (Class<?> c : SCENARIO_CLASSES) {
            for (Method m : c.getDeclaredMethods()) {
                Covers covers = m.getAnnotation(Covers.class);
                if (covers != null) {
                    Arrays.stream(covers.value()).forEach(rule -> coveredBy.computeIfAbsent(rule, k -> new java.util.ArrayList<>())
                            .add(c.getSimpleName() + "." + m.getName()));
                }
            }
        }
        Set<String> names = PACK.rules().stream().map(Rule::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> uncovered = new TreeSet<>(names);
        uncovered.removeAll(coveredBy.keySet());
        assertThat(uncovered).as("rules of the pack no scenario test names").isEmpty();
        Set<String> unknown = new TreeSet<>(coveredBy.keySet());
        unknown.removeAll(names);
        assertThat(unknown).as("rules named by scenarios that the pack does not have").isEmpty();
    }

    @Test
    void everyRuleFamilyHasAnEndToEndScenarioThroughKafkaToEmailAndSlack() {
        Set<String> endToEnd = Arrays.stream(scenarioClass("RulePackDeliveryTest").getDeclaredMethods())
                .filter(m -> m.getAnnotation(Covers.class) != null)
                .flatMap(m -> Arrays.stream(m.getAnnotation(Covers.class).value())).collect(Collectors.toSet());
        // one rule of each family the issue names: JVB, jicofo/bridges, probe, media, host, certificates/backups/config
        assertThat(endToEnd).contains("jvb-unhealthy", "jicofo-no-operational-bridge", "conference-probe-failed-bridge-allocated",
                "jvb-rtp-delay-high", "cpu-usage-critical", "certificate-expiry-critical", "backup-failed",
                "configuration-finding-open");
    }
}
