package io.jitsiops.alert.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SortedLabelsTest {
    private static final Map<String, String> POSTED = new LinkedHashMap<>(Map.of(
            "severity", "warning", "alertname", "JvbDown", "instance", "jvb-1:8080", "job", "jvb"));

    @Test
    void equalsAndHashesLikeAnyMapWithTheSameLabels() {
        Map<String, String> labels = SortedLabels.of(POSTED, null);
        assertThat(labels).isEqualTo(POSTED).hasSize(4);
        assertThat(POSTED).isEqualTo(labels);
        assertThat(labels.hashCode()).isEqualTo(POSTED.hashCode());
        assertThat(new HashMap<>(labels)).isEqualTo(POSTED);
    }

    @Test
    void looksLabelsUpByNameAndIteratesThemInNameOrder() {
        Map<String, String> labels = SortedLabels.of(POSTED, null);
        assertThat(labels.get("instance")).isEqualTo("jvb-1:8080");
        assertThat(labels.get("shard")).isNull();
        assertThat(labels.get(42)).isNull();
        assertThat(labels.containsKey("alertname")).isTrue();
        assertThat(labels.getOrDefault("room", "none")).isEqualTo("none");
        assertThat(labels.keySet()).containsExactly("alertname", "instance", "job", "severity");
    }

    @Test
    void isImmutableAndIndependentOfThePostedMap() {
        Map<String, String> posted = new LinkedHashMap<>(POSTED);
        Map<String, String> labels = SortedLabels.of(posted, null);
        posted.put("room", "r1");
        assertThat(labels).doesNotContainKey("room");
        assertThatThrownBy(() -> labels.put("room", "r1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> labels.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void fingerprintIsTheSameAsFromAnUnsortedMap() {
        // fingerprints are stored in PostgreSQL: the compact form must not change them across a restart
        assertThat(Fingerprints.of("JvbDown", SortedLabels.of(POSTED, null))).isEqualTo(Fingerprints.of("JvbDown", POSTED));
    }

    @Test
    void hashIsSha256OfTheUtf8TextWhateverItsLengthOrCharacters() throws Exception {
        // the reused encoder must give String.getBytes(UTF_8)'s bytes: non-Latin text, an unpaired surrogate ('?'
        // in both) and a text longer than the first buffer
        for (String text : new String[] {"", "JvbDown\u0000instance\u0001jvb-1\u0000", "salle-\u00e9t\u00e9-\u4f1a\u8b70-\ud83d\ude00",
                "broken-\ud83d-surrogate", "x".repeat(5000) + "\u00e9".repeat(700)}) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            String expected = java.util.HexFormat.of().formatHex(sha.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 8);
            assertThat(Fingerprints.hash(text)).as(text.length() > 40 ? "long text" : text).isEqualTo(expected);
        }
    }

    @Test
    void refusesALabelWithoutAValue() {
        Map<String, String> posted = new HashMap<>();
        posted.put("alertname", null);
        assertThatThrownBy(() -> SortedLabels.of(posted, null)).isInstanceOf(NullPointerException.class);
    }
}
