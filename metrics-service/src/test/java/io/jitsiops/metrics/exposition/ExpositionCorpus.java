package io.jitsiops.metrics.exposition;

/** Large payloads for throughput: one bridge's families, their series repeated with distinct labels. */
final class ExpositionCorpus {
    private ExpositionCorpus() {
    }

    /** Every sample line of {@code one} repeated with a {@code conference} label until about {@code bytes}. */
    static String manySeries(String one, int bytes) {
        StringBuilder sb = new StringBuilder(bytes + one.length());
        String[] lines = one.split("\n");
        // one family at a time: all copies of a family's samples follow its HELP/TYPE lines
        int copies = Math.max(1, bytes / Math.max(1, one.length()));
        for (int i = 0; i < lines.length;) {
            int j = i;
            while (j < lines.length && lines[j].startsWith("#")) {
                sb.append(lines[j++]).append('\n');
            }
            int k = j;
            while (k < lines.length && !lines[k].startsWith("#")) {
                k++;
            }
            for (int c = 0; c < copies; c++) {
                for (int s = j; s < k; s++) {
                    sb.append(withLabel(lines[s], "conference", "c" + c)).append('\n');
                }
            }
            i = k;
        }
        return sb.toString();
    }

    private static String withLabel(String sample, String name, String value) {
        int brace = sample.indexOf('{');
        int space = sample.indexOf(' ');
        if (brace >= 0 && brace < space) {
            return sample.substring(0, brace + 1) + name + "=\"" + value + "\"," + sample.substring(brace + 1);
        }
        return sample.substring(0, space) + "{" + name + "=\"" + value + "\"}" + sample.substring(space);
    }
}
