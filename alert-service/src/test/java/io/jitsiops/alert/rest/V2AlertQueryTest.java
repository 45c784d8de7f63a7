package io.jitsiops.alert.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.notify.AlertStatus;

/** The query of GET /api/v2/alerts as Alertmanager 0.25's getAlertsHandler/alertFilter read it (plain JUnit). */
class V2AlertQueryTest {
    static final Map<String, String> JVB = Map.of("alertname", "JvbDown", "target", "jvb-1", "shard", "shard-1");
    static final AlertStatus SILENCED = new AlertStatus(List.of("0b7c…"), List.of());
    static final AlertStatus INHIBITED = new AlertStatus(List.of(), List.of("abcdef0123456789"));
    static final AlertStatus BOTH = new AlertStatus(List.of("0b7c…"), List.of("abcdef0123456789"));
    static final List<String> WEBHOOK = List.of("webhook");

    static V2AlertQuery query(List<String> filter, String active, String silenced, String inhibited, String receiver) {
        return V2AlertQuery.parse(filter, active, silenced, inhibited, receiver);
    }

    @Test
    void withNoParametersEveryFiringAlertIsShownWhateverItsStatus() {
        V2AlertQuery all = query(null, null, null, null, null);
        for (AlertStatus s : List.of(AlertStatus.ACTIVE, SILENCED, INHIBITED, BOTH)) {
            assertThat(all.accepts(JVB, s, WEBHOOK)).as(s.toString()).isTrue();
        }
        assertThat(query(List.of(), "", "", "", "").accepts(JVB, BOTH, WEBHOOK)).as("empty values are the defaults").isTrue();
    }

    @Test
    void silencedFalseHidesSilencedAlertsInhibitedFalseHidesInhibitedOnesEachOnItsOwn() {
        V2AlertQuery notSilenced = query(null, null, "false", null, null);
        assertThat(notSilenced.accepts(JVB, SILENCED, WEBHOOK)).isFalse();
        assertThat(notSilenced.accepts(JVB, BOTH, WEBHOOK)).isFalse();
        assertThat(notSilenced.accepts(JVB, INHIBITED, WEBHOOK)).isTrue();
        assertThat(notSilenced.accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).isTrue();

        V2AlertQuery notInhibited = query(null, null, null, "false", null);
        assertThat(notInhibited.accepts(JVB, INHIBITED, WEBHOOK)).isFalse();
        assertThat(notInhibited.accepts(JVB, BOTH, WEBHOOK)).isFalse();
        assertThat(notInhibited.accepts(JVB, SILENCED, WEBHOOK)).isTrue();
    }

    @Test
    void activeFalseShowsOnlyTheSuppressedAlerts() {
        V2AlertQuery suppressed = query(null, "false", null, null, null);
        assertThat(suppressed.accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).isFalse();
        assertThat(suppressed.accepts(JVB, SILENCED, WEBHOOK)).isTrue();
        assertThat(suppressed.accepts(JVB, INHIBITED, WEBHOOK)).isTrue();
        // all three false: nothing can pass
        V2AlertQuery none = query(null, "false", "false", "false", null);
        for (AlertStatus s : List.of(AlertStatus.ACTIVE, SILENCED, INHIBITED, BOTH)) {
            assertThat(none.accepts(JVB, s, WEBHOOK)).isFalse();
        }
    }

    @Test
    void theBooleanWordsAreThoseOfGoOpenApiAndAnyOtherIsRefusedNamingTheParameter() {
        for (String yes : List.of("true", "TRUE", "1", "yes", "t", "on")) {
            assertThat(query(null, null, yes, null, null).silenced()).as(yes).isTrue();
        }
        for (String no : List.of("false", "False", "0", "no", "f", "off")) {
            assertThat(query(null, null, no, null, null).silenced()).as(no).isFalse();
        }
        assertThatThrownBy(() -> query(null, "maybe", null, null, null)).hasMessageContaining("active 'maybe'");
        assertThatThrownBy(() -> query(null, null, "flase", null, null)).hasMessageContaining("silenced 'flase'");
        assertThatThrownBy(() -> query(null, null, null, "2", null)).hasMessageContaining("inhibited '2'");
    }

    @Test
    void theReceiverIsAnAnchoredRegularExpressionThatOneOfTheAlertsReceiversMustMatch() {
        assertThat(query(null, null, null, null, "webhook").accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).isTrue();
        assertThat(query(null, null, null, null, "web").accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).as("anchored").isFalse();
        assertThat(query(null, null, null, null, "hook").accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).as("anchored").isFalse();
        assertThat(query(null, null, null, null, "web.*").accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).isTrue();
        // the alternation is anchored as a whole, as ^(?:email|slack)$
        V2AlertQuery emailOrSlack = query(null, null, null, null, "email|slack");
        assertThat(emailOrSlack.accepts(JVB, AlertStatus.ACTIVE, List.of("webhook", "slack"))).as("any receiver").isTrue();
        assertThat(emailOrSlack.accepts(JVB, AlertStatus.ACTIVE, List.of("xemail", "slackx"))).isFalse();
        assertThat(emailOrSlack.accepts(JVB, AlertStatus.ACTIVE, List.of())).isFalse();
        assertThatThrownBy(() -> query(null, null, null, null, "web(")).hasMessageContaining("receiver 'web('");
    }

    @Test
    void filtersFollowAlertmanagersMatchingOfMissingAndEmptyLabelsAndAnchoredRegularExpressions() {
        assertThat(query(List.of("room=\"\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK))
                .as("label=\"\" matches an alert without it").isTrue();
        assertThat(query(List.of("target=\"\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).isFalse();
        assertThat(query(List.of("target!=\"\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK))
                .as("label!=\"\" means it has the label").isTrue();
        assertThat(query(List.of("room!=\"\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).isFalse();
        assertThat(query(List.of("shard=~\"shard\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK))
                .as("=~ is a full match").isFalse();
        assertThat(query(List.of("shard=~\"shard-[12]\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).isTrue();
        assertThat(query(List.of("shard=~\"shard-1|shard-2\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK))
                .as("an alternation is anchored as a whole").isTrue();
        assertThat(query(List.of("target!~\"jvb-.*\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK)).isFalse();
        assertThat(query(List.of("room!~\"x.*\""), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK))
                .as("a missing label is the empty string").isTrue();
        assertThat(query(List.of("target=jvb-1", "target=jvb-2"), null, null, null, null).accepts(JVB, AlertStatus.ACTIVE, WEBHOOK))
                .as("two values of one label: both must hold").isFalse();
        assertThatThrownBy(() -> query(List.of("shard"), null, null, null, null)).hasMessageStartingWith("filter ");
        assertThatThrownBy(() -> query(List.of("shard=~\"(\""), null, null, null, null)).hasMessageStartingWith("filter ");
    }

    @Test
    void onlyEqualitiesWithAValueNarrowTheSqlTheFirstValueOfALabel() {
        V2AlertQuery q = query(List.of("alertname=JvbDown", "room=\"\"", "target!=x", "shard=~\"s.*\"", "alertname=Other"),
                null, null, null, null);
        assertThat(q.equal()).containsExactly(Map.entry("alertname", "JvbDown"));
        assertThat(q.matchers()).hasSize(5);
    }
}
