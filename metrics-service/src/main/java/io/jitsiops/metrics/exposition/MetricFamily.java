package io.jitsiops.metrics.exposition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The samples of one metric family with its metadata. A histogram's family holds its {@code _bucket},
 * {@code _sum}, {@code _count} (and OpenMetrics {@code _created}) samples; a summary's its quantiles.
 *
 * @param help null when the exposition had no HELP line; unit null unless OpenMetrics gave one
 */
public record MetricFamily(String name, MetricType type, String help, String unit, List<Sample> samples) {

    static final class Builder {
        final String name;
        MetricType type;
        String help;
        String unit;
        boolean typeSeen;
        boolean helpSeen;
        boolean unitSeen;
        final List<Sample> samples = new ArrayList<>();

        Builder(String name, MetricType type) {
            this.name = name;
            this.type = type;
        }

        MetricFamily build() {
            return new MetricFamily(name, type, help, unit, Collections.unmodifiableList(samples));
        }
    }
}
