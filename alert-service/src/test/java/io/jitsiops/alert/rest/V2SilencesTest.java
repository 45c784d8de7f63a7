package io.jitsiops.alert.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jitsiops.alert.notify.Silence;
import io.jitsiops.alert.rule.Matcher;

/** Alertmanager 0.25's silence rules (api/v2/api.go, silence/silence.go) as V2Silences applies them. */
class V2SilencesTest {
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    static Silence silence(String name, Instant starts, Instant ends, String... matchers) {
        return new Silence(UUID.nameUUIDFromBytes(name.getBytes()), java.util.Arrays.stream(matchers).map(Matcher::parse).toList(),
                starts, ends, "ops", name, NOW);
    }

    @Test
    void listsActiveByEndThenPendingByStartThenExpiredLatestFirst() {
        Silence activeLate = silence("active-late", NOW.minusSeconds(60), NOW.plusSeconds(7200), "a=1");
        Silence activeSoon = silence("active-soon", NOW.minusSeconds(60), NOW.plusSeconds(60), "a=1");
        Silence pendingLate = silence("pending-late", NOW.plusSeconds(7200), NOW.plusSeconds(9000), "a=1");
        Silence pendingSoon = silence("pending-soon", NOW.plusSeconds(60), NOW.plusSeconds(9000), "a=1");
        Silence expiredOld = silence("expired-old", NOW.minusSeconds(9000), NOW.minusSeconds(7200), "a=1");
        Silence expiredNew = silence("expired-new", NOW.minusSeconds(9000), NOW.minusSeconds(60), "a=1");
        assertThat(List.of(expiredOld, pendingLate, activeLate, expiredNew, pendingSoon, activeSoon).stream()
                .sorted(V2Silences.order(NOW)).map(Silence::comment))
                .containsExactly("active-soon", "active-late", "pending-soon", "pending-late", "expired-new", "expired-old");
    }

    @Test
    void aFilterNamesMatchersOfTheSilenceWithTheSameOperatorAndValue() {
        Silence s = silence("s", NOW, NOW.plusSeconds(60), "alertname=\"JvbDown\"", "target=~\"jvb-.*\"");
        assertThat(V2Silences.matchesFilter(s, List.of(Matcher.parse("alertname=JvbDown")))).isTrue();
        assertThat(V2Silences.matchesFilter(s, List.of(Matcher.parse("target=~jvb-.*"), Matcher.parse("alertname=JvbDown")))).isTrue();
        assertThat(V2Silences.matchesFilter(s, List.of(Matcher.parse("target=jvb-1")))).isFalse(); // not a label filter
        assertThat(V2Silences.matchesFilter(s, List.of(Matcher.parse("alertname!=JvbDown")))).isFalse();
        assertThat(V2Silences.matchesFilter(s, List.of())).isTrue();
    }

    @Test
    void changesInPlaceOnlyWhatKeepsTheSilencesHistoryTrue() {
        Silence active = silence("a", NOW.minusSeconds(60), NOW.plusSeconds(3600), "a=1");
        Silence longer = new Silence(active.id(), active.matchers(), active.startsAt(), NOW.plusSeconds(7200), "ops", "c", NOW);
        assertThat(V2Silences.canUpdate(active, longer, NOW)).isTrue();
        Silence otherMatchers = new Silence(active.id(), List.of(Matcher.parse("a=2")), active.startsAt(), longer.endsAt(), "ops", "c", NOW);
        assertThat(V2Silences.canUpdate(active, otherMatchers, NOW)).isFalse();
        Silence otherStart = new Silence(active.id(), active.matchers(), NOW, longer.endsAt(), "ops", "c", NOW);
        assertThat(V2Silences.canUpdate(active, otherStart, NOW)).isFalse();
        Silence pending = silence("p", NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(2)), "a=1");
        assertThat(V2Silences.canUpdate(pending, new Silence(pending.id(), pending.matchers(), NOW.plusSeconds(60),
                pending.endsAt(), "ops", "c", NOW), NOW)).isTrue();
        Silence expired = silence("e", NOW.minusSeconds(600), NOW.minusSeconds(60), "a=1");
        assertThat(V2Silences.canUpdate(expired, longer, NOW)).isFalse();
    }

    @Test
    void readsV2MatchersAndRefusesWhatValidateSilenceRefuses() {
        assertThat(V2Silences.matchers(List.of(new V2Silences.V2Matcher("alertname", "JvbDown", false, true),
                new V2Silences.V2Matcher("target", "jvb-.*", true, false))))
                .containsExactly(Matcher.equal("alertname", "JvbDown"), new Matcher("target", Matcher.Op.NRE, "jvb-.*"));
        // alone, target!~"jvb-.*" matches an alert without a target: it would silence nearly everything
        assertThatThrownBy(() -> V2Silences.matchers(List.of(new V2Silences.V2Matcher("target", "jvb-.*", true, false))))
                .hasMessageContaining("must not match the empty string");
        assertThat(V2Silences.matchers(List.of(new V2Silences.V2Matcher("target", "jvb-1", false, null))))
                .containsExactly(new Matcher("target", Matcher.Op.EQ, "jvb-1")); // isEqual absent: true
        assertThatThrownBy(() -> V2Silences.matchers(List.of())).hasMessageContaining("at least one matcher");
        assertThatThrownBy(() -> V2Silences.matchers(List.of(new V2Silences.V2Matcher("target", "", false, true))))
                .hasMessageContaining("must not match the empty string");
        assertThatThrownBy(() -> V2Silences.matchers(List.of(new V2Silences.V2Matcher("1target", "x", false, true))))
                .hasMessageContaining("invalid label name");
        assertThatThrownBy(() -> V2Silences.matchers(List.of(new V2Silences.V2Matcher("target", "(", true, true))))
                .hasMessageContaining("invalid regular expression");
    }
}
