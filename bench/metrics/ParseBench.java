import java.nio.file.Files;
import java.nio.file.Path;

import io.jitsiops.metrics.exposition.ExpositionParser;

/**
 * Parses one exposition file ROUNDS times with the metrics-service's parser (after a warm-up) and prints MB/s.
 * Usage: java -cp metrics-service.jar ParseBench.java FILE ROUNDS
 */
public class ParseBench {
    public static void main(String[] a) throws Exception {
        String text = Files.readString(Path.of(a[0]));
        int rounds = Integer.parseInt(a[1]);
        long samples = 0;
        for (int i = 0; i < 5; i++) {
            samples = ExpositionParser.parse(text, ExpositionParser.Format.PROMETHEUS_0_0_4).stream().mapToLong(f -> f.samples().size()).sum();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            ExpositionParser.parse(text, ExpositionParser.Format.PROMETHEUS_0_0_4);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double mb = (double) Files.size(Path.of(a[0])) * rounds / (1024 * 1024);
        System.out.printf("jitsi-ops parser: %.1f MB/s (%d samples per pass, %.3f s per pass)%n", mb / s, samples, s / rounds);
    }
}
