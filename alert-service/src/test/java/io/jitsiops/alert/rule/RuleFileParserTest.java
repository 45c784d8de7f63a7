package io.jitsiops.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.jitsiops.events.payload.AlertSeverity;

class RuleFileParserTest {
    private static final RuleFileParser PARSER = new RuleFileParser(Set.of("operators", "pager"));
    private static final String ROUTE = "route: {receiver: operators}\n";

    static String rule(String body) {
        return "rules:\n  - name: r1\n" + body.indent(4) + ROUTE;
    }

    private static final String VALID = """
            input: component_metric
            metric: cpu
            threshold: 90
            severity: warning
            summary: "cpu {value}"
            description: "what to do"
            """;

    @Test
    void theShippedDefaultRulesAreValid() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/alerting/default-rules.yaml")) {
            RuleFile file = new RuleFileParser(Set.of("operators")).parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(file.rules()).hasSizeGreaterThan(20);
            assertThat(file.rule("bitrate-critical").orElseThrow().direction()).isEqualTo(Direction.BELOW);
            assertThat(file.rule("health-results-absent").orElseThrow().isAbsence()).isTrue();
            assertThat(file.inhibitRules()).hasSize(4);
        }
    }

    @Test
    void readsDirectionForClearLevelMatchersSeverityPageAndTemplates() {
        RuleFile f = PARSER.parse(rule("""
                input: conference_quality
                metric: conference.bitrate_kbps
                direction: below
                threshold: 200
                clear: 300
                for: 1m30s
                matchers: ['room=~"team-.*"', 'target!=jvb-test']
                labels: {family: bitrate}
                severity: critical
                page: true
                summary: "{value} kbps in {labels.room}"
                description: "runbook"
                dashboard: "http://grafana/d?room={labels.room}"
                """));
        Rule r = f.rules().get(0);
        assertThat(r.direction()).isEqualTo(Direction.BELOW);
        assertThat(r.clearLevel()).isEqualTo(300);
        assertThat(r.forDuration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.severity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(r.page()).isTrue();
        assertThat(r.matchers()).hasSize(2);
        assertThat(r.summary().render(Map.of("value", "150", "labels", Map.of("room", "team-a")))).isEqualTo("150 kbps in team-a");
        assertThat(r.dashboard().orElseThrow().render(Map.of("labels", Map.of()))).isEqualTo("http://grafana/d?room=");
    }

    @Test
    void refusesAClearLevelOnTheWrongSideNamingTheRuleAndKey() {
        assertThatThrownBy(() -> PARSER.parse(rule(VALID + "clear: 95\n")))
                .isInstanceOf(InvalidRulesException.class)
                .hasMessageContaining("rule 'r1' (rules[0])").hasMessageContaining("key 'clear'");
    }

    @Test
    void refusesUnknownKeysMissingThresholdsBadDurationsMatchersTemplatesAndSeverities() {
        assertThatThrownBy(() -> PARSER.parse(rule(VALID + "treshold: 3\n"))).hasMessageContaining("key 'treshold' is unknown");
        assertThatThrownBy(() -> PARSER.parse(rule(VALID.replace("threshold: 90\n", ""))))
                .hasMessageContaining("rule 'r1'").hasMessageContaining("key 'threshold': required");
        assertThatThrownBy(() -> PARSER.parse(rule(VALID + "for: 5 minutes\n"))).hasMessageContaining("key 'for'");
        assertThatThrownBy(() -> PARSER.parse(rule(VALID + "matchers: ['room=~\"(\"']\n"))).hasMessageContaining("key 'matchers'");
        assertThatThrownBy(() -> PARSER.parse(rule(VALID.replace("cpu {value}", "cpu {value")))).hasMessageContaining("key 'summary'");
        assertThatThrownBy(() -> PARSER.parse(rule(VALID.replace("warning", "urgent")))).hasMessageContaining("key 'severity'");
        assertThatThrownBy(() -> PARSER.parse(rule(VALID.replace("component_metric", "tweets")))).hasMessageContaining("key 'input'");
        assertThatThrownBy(() -> PARSER.parse(rule(VALID + "direction: sideways\n"))).hasMessageContaining("key 'direction'");
    }

    @Test
    void readsEqualRulesAndAveragingWindowsAndRefusesThemWhereTheyMeanNothing() {
        Rule r = PARSER.parse(rule(VALID.replace("threshold: 90", "threshold: 4\ndirection: equal") + "avg_over: 5m\n"))
                .rules().get(0);
        assertThat(r.direction()).isEqualTo(Direction.EQUAL);
        assertThat(r.avgOver()).contains(java.time.Duration.ofMinutes(5));
        assertThatThrownBy(() -> PARSER.parse(rule(VALID + "direction: equal\nclear: 80\n")))
                .hasMessageContaining("rule 'r1'").hasMessageContaining("key 'clear'");
        assertThatThrownBy(() -> PARSER.parse(rule(VALID + "avg_over: 0s\n"))).hasMessageContaining("key 'avg_over'");
    }

    @Test
    void refusesDuplicateNamesAndRoutesToUnconfiguredReceivers() {
        String twice = "rules:\n  - name: r1\n" + VALID.indent(4) + "  - name: r1\n" + VALID.indent(4) + ROUTE;
        assertThatThrownBy(() -> PARSER.parse(twice)).hasMessageContaining("used twice");
        String badRoute = "rules: []\nroute:\n  receiver: operators\n  routes:\n    - receiver: slack\n";
        assertThatThrownBy(() -> PARSER.parse(badRoute)).hasMessageContaining("route.routes[0]")
                .hasMessageContaining("'slack' is not a configured receiver");
    }

    @Test
    void routesInheritFromTheirParentAndMatchLikeAlertmanager() {
        RuleFile f = PARSER.parse("""
                rules: []
                route:
                  receiver: operators
                  group_by: [alertname]
                  group_wait: 10s
                  routes:
                    - matchers: ['severity=critical']
                      receiver: pager
                      continue: true
                    - matchers: ['severity=critical']
                      group_wait: 1s
                    - matchers: ['component=jvb']
                      receiver: pager
                """);
        Route root = f.route();
        assertThat(root.routes().get(0).groupWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(root.routes().get(1).receiver()).isEqualTo("operators");
        assertThat(root.match(Map.of("severity", "critical", "component", "jvb")))
                .extracting(Route::id).containsExactly("0.0", "0.1"); // continue on the first, the second stops
        assertThat(root.match(Map.of("severity", "warning", "component", "jvb"))).extracting(Route::id).containsExactly("0.2");
        assertThat(root.match(Map.of("severity", "info"))).extracting(Route::id).containsExactly("0");
    }

    @Test
    void absenceRulesNeedAnIntervalAndHaveNoThreshold() {
        RuleFile f = PARSER.parse(rule("""
                input: health_result
                absent: {expected_interval: 30s, missed: 3, by: [component, target]}
                severity: critical
                summary: "silent"
                description: "x"
                """));
        assertThat(f.rules().get(0).absence().orElseThrow().window()).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> PARSER.parse(rule("""
                input: health_result
                absent: {missed: 3}
                severity: critical
                summary: "silent"
                description: "x"
                """))).hasMessageContaining("key 'absent'");
    }

    @Test
    void parsesMatchersInAlertmanagerSyntax() {
        assertThat(Matcher.parse("severity=\"critical\"")).isEqualTo(new Matcher("severity", Matcher.Op.EQ, "critical"));
        assertThat(Matcher.parse("room!~test.*").matches(Map.of("room", "team"))).isTrue();
        assertThat(Matcher.parse("room!~test.*").matches(Map.of("room", "test-1"))).isFalse();
        assertThat(Matcher.parse("shard=~\"s[12]\"").matches(Map.of("shard", "s12"))).isFalse(); // anchored
        assertThat(Matcher.parse("target!=jvb-1").matches(Map.of())).isTrue();
        assertThatThrownBy(() -> Matcher.parse("no operator")).isInstanceOf(IllegalArgumentException.class);
    }
}
