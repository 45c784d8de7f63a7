package io.jitsiops.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TargetRingTest {
    @Test
    void everyTargetHasExactlyOneOwnerAndAnAddedReplicaTakesOnlyItsShare() {
        TargetRing three = new TargetRing(3);
        TargetRing four = new TargetRing(4);
        Map<Integer, Integer> load = new HashMap<>();
        int moved = 0;
        int n = 3000;
        for (int i = 0; i < n; i++) {
            String key = "jvb/jvb-" + i;
            int owner = three.owner(key);
            load.merge(owner, 1, Integer::sum);
            assertThat(three.owner(key)).isEqualTo(owner); // the same answer on every replica
            int after = four.owner(key);
            if (after != owner) {
                moved++;
                assertThat(after).isEqualTo(3); // targets only move to the new replica
            }
        }
        assertThat(load.values()).allSatisfy(c -> assertThat(c).isBetween(n / 3 * 7 / 10, n / 3 * 13 / 10));
        assertThat(moved).isBetween(n / 4 * 6 / 10, n / 4 * 14 / 10);
    }
}
