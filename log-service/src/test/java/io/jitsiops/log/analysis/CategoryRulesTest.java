package io.jitsiops.log.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;
import io.jitsiops.log.parse.LogEntry;
import io.jitsiops.log.parse.LogParsers;
import io.jitsiops.log.parse.TextAnalysisInput;

class CategoryRulesTest {
    private static final CategoryRules DEFAULTS = CategoryRules.load(Optional.empty());
    private static final Categorizer CATEGORIZER = new Categorizer(DEFAULTS);

    private static String category(LogFormat format, String text) {
        List<LogEntry> entries = TextAnalysisInput.parse(format.name(),
                LogParsers.create(format, ZoneOffset.UTC, java.time.Clock.systemUTC()), text, 65536, 262144);
        assertThat(entries).hasSize(1);
        return CATEGORIZER.categorize(format.name(), entries.get(0));
    }

    @Test
    void theShippedRulesNameTheUsualFailures() {
        assertThat(category(LogFormat.jvb, "JVB 2026-11-28 21:06:56.123 WARNING: [44] [confId=a epId=b] IceTransport.iceStateChanged#300: ICE failed, no candidate pair succeeded\n"))
                .isEqualTo("ice-failure");
        assertThat(category(LogFormat.jicofo, "Jicofo 2026-11-28 21:06:56.123 SEVERE: [31] [room=r@conference.meet.jitsi] BridgeSelector.selectBridge#120: Failed to select a bridge: no operational bridges\n"))
                .isEqualTo("bridge-selection");
        assertThat(category(LogFormat.jvb, "JVB 2026-11-28 21:06:56.123 SEVERE: [12] Foo.run#1: worker died\njava.lang.OutOfMemoryError: Java heap space\n\tat a.b.C.m(C.java:1)\n"))
                .isEqualTo("resource-exhaustion");
        assertThat(category(LogFormat.prosody, "Nov 28 21:06:56 token_verification\terror\tToken verification failed: signature invalid\n"))
                .isEqualTo("auth-rejected");
        // jitsi-meet's mod_auth_token, every reason its token verification gives (token/util.lib.lua @e103757f)
        for (String reason : List.of("Invalid signature", "Not acceptable by exp", "could not obtain public key",
                "'kid' claim is missing", "Invalid issuer ('iss' claim)")) {
            assertThat(category(LogFormat.prosody, "Nov 28 21:06:56 general\twarn\tError verifying token err:not-allowed, reason:"
                    + reason + "\n")).as(reason).isEqualTo("auth-rejected");
        }
        assertThat(category(LogFormat.prosody, "<no value>:tls                                  error\tError creating context for c2s: No certificate present in SSL/TLS configuration for <no value>\n"))
                .isEqualTo("tls-certificate");
        assertThat(category(LogFormat.jicofo, "Jicofo 2026-11-28 21:06:56.123 WARNING: [22] [xmpp_connection=client] XmppConnection.connectionClosedOnError#90: XMPP connection closed on error: stream error\n"))
                .isEqualTo("xmpp-disconnect");
        assertThat(category(LogFormat.nginx_access, "10.0.0.9 - - [28/Nov/2026:21:06:56 +0000] \"POST /http-bind HTTP/1.1\" 502 157 \"-\" \"Mozilla/5.0\"\n"))
                .isEqualTo("http-5xx");
        assertThat(category(LogFormat.nginx_error, "2026/11/28 21:06:56 [error] 12#12: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: meet.jitsi, request: \"POST /http-bind HTTP/1.1\", upstream: \"http://127.0.0.1:5280/http-bind\", host: \"meet.jitsi\"\n"))
                .isEqualTo("upstream-unreachable");
        assertThat(category(LogFormat.jvb, "JVB 2026-11-28 21:06:56.123 WARNING: [44] Foo.bar#1: something odd\n"))
                .isEqualTo(LogAnalyzer.UNCATEGORIZED);
        assertThat(category(LogFormat.jvb, "JVB 2026-11-28 21:06:56.123 INFO: [44] Foo.bar#1: all well\n")).isNull();
    }

    @Test
    void anInvalidRulesFileNamesTheRuleAndKey() {
        assertThatThrownBy(() -> parse("rules:\n  - {id: a, severity: warning, pattern: '(', recommendation: x}\n"))
                .isInstanceOf(InvalidRulesException.class).hasMessageContaining("rules[0].pattern");
        assertThatThrownBy(() -> parse("rules:\n  - {id: a, severity: warning, literals: [x], recommendation: x}\n"
                + "  - {id: a, severity: info, literals: [y], recommendation: y}\n"))
                .hasMessageContaining("rules[1].id: 'a' is used twice");
        assertThatThrownBy(() -> parse("rules:\n  - {id: a, severity: loud, literals: [x], recommendation: x}\n"))
                .hasMessageContaining("test.yaml");
        assertThatThrownBy(() -> parse("rules:\n  - {id: a, severity: info, literals: [x]}\n"))
                .hasMessageContaining("rules[0].recommendation: is required");
    }

    @Test
    void aRuleRunsItsPatternOnlyOnTextHoldingOneOfItsLiterals() {
        CategoryRules rules = parse("rules:\n  - {id: boom, severity: critical, literals: [BOOM], pattern: '(?i)boom', recommendation: duck}\n");
        LogEntry lower = TextAnalysisInput.parse("jvb", LogParsers.create(LogFormat.jvb, ZoneOffset.UTC, java.time.Clock.systemUTC()),
                "JVB 2026-11-28 21:06:56.123 SEVERE: [1] A.b#1: boom\nJVB 2026-11-28 21:06:56.124 SEVERE: [1] A.b#1: BOOM\n", 1024, 1024).get(0);
        assertThat(rules.match("jvb", lower)).isNull(); // the pattern would match, the prefilter says no
    }

    @Test
    void theOnePassPrefilterFindsEveryLiteralWhereverItStands() {
        // more than 64 distinct first pairs (bits are shared), a one-character literal, non-Latin-1 characters whose
        // low bytes equal other pairs' keys, a literal at the very start, at the very end and in a stack trace
        StringBuilder many = new StringBuilder();
        for (char a = 'a'; a <= 'j'; a++) {
            for (char b = 'k'; b <= 'r'; b++) {
                many.append(many.isEmpty() ? "" : ", ").append('"').append(a).append(b).append("zz\"");
            }
        }
        CategoryRules rules = parse("rules:\n"
                + "  - {id: many, severity: info, minLevel: INFO, literals: [" + many + "], recommendation: m}\n"
                + "  - {id: one, severity: info, minLevel: INFO, literals: ['%'], recommendation: o}\n"
                + "  - {id: greek, severity: info, minLevel: INFO, literals: ['\u03a9\u03a9'], recommendation: g}\n"
                + "  - {id: trace, severity: info, minLevel: INFO, literals: [Deep], pattern: 'Deep\\w+', recommendation: t}\n");
        assertThat(category(rules, "jzz starts")).isNull();
        assertThat(category(rules, "jrzz starts")).isEqualTo("many");
        assertThat(category(rules, "ends with aqzz")).isEqualTo("many");
        assertThat(category(rules, "at 50% load")).isEqualTo("one");
        assertThat(category(rules, "\u03a9\u03a9 here")).isEqualTo("greek");
        assertThat(category(rules, "\u01a9\u01a9 has the low bytes of \u03a9\u03a9 but not the literal")).isEqualTo("greek");
        assertThat(category(rules, "\u01a9\u01a9 alone has their low bytes only")).isNull();
        assertThat(category(rules, "failed\njava.lang.IllegalStateException: x\n\tat a.DeepThought.m(D.java:1)")).isEqualTo("trace");
        assertThat(category(rules, "nothing to see")).isNull();
    }

    private static String category(CategoryRules rules, String text) {
        List<LogEntry> entries = TextAnalysisInput.parse("jvb", LogParsers.create(LogFormat.jvb, ZoneOffset.UTC, java.time.Clock.systemUTC()),
                "JVB 2026-11-28 21:06:56.123 INFO: [1] A.b#1: " + text + "\n", 65536, 262144);
        assertThat(entries).hasSize(1);
        CategoryRule r = rules.match("jvb", entries.get(0));
        return r == null ? null : r.id();
    }

    @Test
    void theAnalysisComparesWithThePreviousWindowAndRecommendsWhatReachedItsCount() {
        Instant start = Instant.parse("2026-11-29T07:00:00Z");
        Map<String, MinuteCounts> minutes = new HashMap<>();
        MinuteCounts m = new MinuteCounts("nginx", start.plusSeconds(600));
        m.entries = 100;
        m.errors = 30;
        m.categories.put("http-5xx", 30L);
        minutes.put("a", m);
        MinuteCounts j = new MinuteCounts("jvb", start.plusSeconds(1200));
        j.entries = 50;
        j.warnings = 2;
        j.categories.put("ice-failure", 2L); // below its minCount of 3
        minutes.put("b", j);
        Analysis a = new LogAnalyzer(DEFAULTS).analyze(minutes.values(), start, start.plusSeconds(3600), 3);
        assertThat(a.entries()).isEqualTo(150);
        assertThat(a.verdict()).isEqualTo("rising");
        assertThat(a.byComponent()).containsEntry("nginx", 100L).containsEntry("jvb", 50L);
        assertThat(a.byCategory()).containsEntry("http-5xx", 30L);
        assertThat(a.recommendations()).extracting(Analysis.Recommendation::category).containsExactly("http-5xx");
        assertThat(a.trend()).hasSize(12);
        assertThat(a.trend().get(2).errors()).isEqualTo(30);
        assertThat(LogAnalyzer.verdict(40, 10)).isEqualTo("falling");
        assertThat(LogAnalyzer.verdict(10, 12)).isEqualTo("stable");
    }

    private static CategoryRules parse(String yaml) {
        return CategoryRules.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }
}
