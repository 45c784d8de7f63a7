package io.jitsiops.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.exposition.ExpositionParser.Format;

/**
 * Odd input never crashes or hangs the parser: every outcome is either families or an
 * {@link ExpositionFormatException} naming a line inside the text. Seeds are fixed so a failure replays.
 */
class ExpositionFuzzTest {
    private static final String ALPHABET = "ab_:{}=\",\\n# \t.0123456789eE+-InfNa\n\r\u00e9\u0000\uffff";

    @Test
    void mutatedGenuineOutputEndsInFamiliesOrALineNamingError() {
        String[] seeds = {
                JicocoRenderedExpositionTest.jvbLike().getPrometheusMetrics("text/plain; version=0.0.4; charset=utf-8"),
                JicocoRenderedExpositionTest.jvbLike().getPrometheusMetrics("application/openmetrics-text; version=1.0.0; charset=utf-8") };
        SplittableRandom random = new SplittableRandom(20261129);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int parsed = 0;
            int refused = 0;
            for (int i = 0; i < 40_000; i++) {
                String seed = seeds[i % 2];
                String input = mutate(seed, random);
                for (Format format : Format.values()) {
                    if (accept(input, format)) {
                        parsed++;
                    } else {
                        refused++;
                    }
                }
            }
            assertThat(parsed).isPositive();
            assertThat(refused).isPositive();
        });
    }

    @Test
    void randomTextEndsInFamiliesOrALineNamingError() {
        SplittableRandom random = new SplittableRandom(7);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 40_000; i++) {
                int len = random.nextInt(200);
                StringBuilder sb = new StringBuilder(len);
                for (int k = 0; k < len; k++) {
                    sb.append(random.nextInt(10) == 0 ? (char) random.nextInt(0x10000) : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
                for (Format format : Format.values()) {
                    accept(sb.toString(), format);
                }
            }
        });
    }

    @Test
    void hugeLinesAndDeepRepetitionStayLinear() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            String longLabel = "m{a=\"" + "\\\\".repeat(500_000) + "\"} 1\n";
            assertThat(ExpositionParser.parse(longLabel, Format.PROMETHEUS_0_0_4).get(0).samples()).hasSize(1);
            String manyLabels = "m{" + "a=\"1\",".repeat(20_000) + "} 1\n"; // duplicates: refused, quickly
            accept(manyLabels, Format.PROMETHEUS_0_0_4);
            String digits = "m " + "9".repeat(1_000_000) + "\n";
            assertThat(ExpositionParser.parse(digits, Format.PROMETHEUS_0_0_4).get(0).samples().get(0).value())
                    .isEqualTo(Double.POSITIVE_INFINITY);
            String exponent = "m 1e" + "9".repeat(100_000) + "\n";
            accept(exponent, Format.PROMETHEUS_0_0_4);
            String newlines = "\n".repeat(2_000_000);
            assertThat(ExpositionParser.parse(newlines, Format.PROMETHEUS_0_0_4)).isEmpty();
        });
    }

    private static boolean accept(String input, Format format) {
        try {
            ExpositionParser.parse(input, format);
            return true;
        } catch (ExpositionFormatException e) {
            long lines = input.chars().filter(c -> c == '\n').count() + 1;
            assertThat(e.line()).as("line of %s", e.getMessage()).isBetween(1, (int) Math.max(1, lines));
            return false;
        }
    }

    private static String mutate(String seed, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(5)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 3 -> sb.setLength(at); // truncated body, as a size limit or a dropped connection leaves it
                default -> {
                    int len = Math.min(sb.length() - at, 1 + random.nextInt(60));
                    sb.insert(random.nextInt(sb.length()), sb.substring(at, at + len));
                }
            }
        }
        return sb.toString();
    }
}
