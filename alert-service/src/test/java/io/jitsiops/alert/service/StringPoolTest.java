package io.jitsiops.alert.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StringPoolTest {
    @Test
    void equalLabelValuesOfDifferentAlertsShareOneCopy() {
        StringPool pool = new StringPool(100);
        Map<String, String> first = pool.labels(Map.of("alertname", new String("JvbDown"), "instance", "jvb-1"));
        Map<String, String> second = pool.labels(Map.of("alertname", new String("JvbDown"), "instance", "jvb-2"));
        assertThat(second.get("alertname")).isSameAs(first.get("alertname"));
        assertThat(second).containsEntry("instance", "jvb-2").hasSize(2);
    }

    @Test
    void startsOverWhenFullSoUniqueValuesCannotGrowItForEver() {
        StringPool pool = new StringPool(3);
        for (int i = 0; i < 10; i++) {
            pool.intern("unique-" + i);
            assertThat(pool.size()).isLessThanOrEqualTo(3);
        }
        String common = pool.intern(new String("warning"));
        assertThat(pool.intern(new String("warning"))).isSameAs(common);
        assertThat(pool.intern(null)).isNull();
    }

    @Test
    void theCopyIsImmutableAndEqualToTheOriginal() {
        Map<String, String> posted = new LinkedHashMap<>(Map.of("a", "1", "b", "2"));
        Map<String, String> copy = new StringPool(10).labels(posted);
        posted.put("c", "3");
        assertThat(copy).isEqualTo(Map.of("a", "1", "b", "2"));
    }
}
