package io.jitsiops.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.exposition.ExpositionParser.Format;

/** Prints the parse rate on a large genuine payload (figures only; bench/metrics/run.sh compares with promtool). */
class ParserThroughputTest {
    @Test
    void parsesAFewMegabytesOfBridgeOutput() {
        String one = JicocoRenderedExpositionTest.jvbLike().getPrometheusMetrics("text/plain; version=0.0.4; charset=utf-8");
        String big = ExpositionCorpus.manySeries(one, 4 * 1024 * 1024);
        long samples = 0;
        for (int i = 0; i < 3; i++) { // warm-up
            samples = ExpositionParser.parse(big, Format.PROMETHEUS_0_0_4).stream().mapToLong(f -> f.samples().size()).sum();
        }
        long t0 = System.nanoTime();
        int rounds = 5;
        for (int i = 0; i < rounds; i++) {
            ExpositionParser.parse(big, Format.PROMETHEUS_0_0_4);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double mb = big.length() * (double) rounds / (1024 * 1024);
        System.out.printf("exposition parser: %.1f MB/s, %.0f samples/s (%d bytes, %d samples per payload)%n",
                mb / seconds, samples * rounds / seconds, big.length(), samples);
        assertThat(samples).isPositive();
    }
}
