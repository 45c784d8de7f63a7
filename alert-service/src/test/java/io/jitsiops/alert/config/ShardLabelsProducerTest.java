package io.jitsiops.alert.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jitsiops.alert.evaluate.ShardLabels;
import io.jitsiops.deployment.InvalidDeploymentException;

class ShardLabelsProducerTest {
    @TempDir
    Path dir;

    @Test
    void withoutADescriptionFileAlertsCarryNoShardAndTheServiceStillStarts() {
        assertThat(new ShardLabelsProducer().shardLabels(dir.resolve("absent.yaml").toString())).isSameAs(ShardLabels.NONE);
    }

    @Test
    void anInvalidDescriptionStopsTheStartNamingTheKey() throws Exception {
        Path bad = Files.writeString(dir.resolve("deployment.yaml"), "name: x\njitsi:\n  jvb:\n    - name: jvb-1\n      shrad: a\n");
        assertThatThrownBy(() -> new ShardLabelsProducer().shardLabels(bad.toString()))
                .isInstanceOf(InvalidDeploymentException.class).hasMessageContaining("shrad");
    }

    @Test
    void everyJitsiTargetThatNamesAShardGivesItToItsAlerts() throws Exception {
        Path file = Files.writeString(dir.resolve("deployment.yaml"), """
                name: x
                jitsi:
                  jicofo:
                    - {name: jicofo-a, url: "http://127.0.0.1:9/a", shard: shard-a}
                  jvb:
                    - {name: jvb-a1, url: "http://127.0.0.1:9/a1", shard: shard-a}
                    - {name: jvb-x, url: "http://127.0.0.1:9/x"}
                """);
        ShardLabels shards = new ShardLabelsProducer().shardLabels(file.toString());
        assertThat(shards.shardByTarget()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("jicofo-a", "shard-a",
                "jvb-a1", "shard-a"));
    }
}
