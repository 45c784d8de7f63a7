package io.jitsiops.metrics.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.scrape.StatsScraper;

class ExpositionNegotiationTest {

    @Test
    void prometheusOwnAcceptHeaderGetsOpenMetrics() {
        assertThat(ExpositionNegotiation.choose(StatsScraper.ACCEPT_EXPOSITION)).isEqualTo(ExpositionNegotiation.OPENMETRICS);
    }

    @Test
    void theHigherQualityValueWinsAndTheEarlierOneOnATie() {
        assertThat(ExpositionNegotiation.choose("application/openmetrics-text;q=0.2, text/plain;q=0.9")).isEqualTo(ExpositionNegotiation.TEXT);
        assertThat(ExpositionNegotiation.choose("text/plain, application/openmetrics-text")).isEqualTo(ExpositionNegotiation.TEXT);
        assertThat(ExpositionNegotiation.choose("text/plain;q=0, */*;q=0.1")).isEqualTo(ExpositionNegotiation.OPENMETRICS);
    }

    @Test
    void aBrowserGetsTheTextFormatAndAnUnrelatedHeaderIsLeftAlone() {
        assertThat(ExpositionNegotiation.choose("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))
                .isEqualTo(ExpositionNegotiation.TEXT);
        assertThat(ExpositionNegotiation.choose("application/json")).isNull();
        assertThat(ExpositionNegotiation.choose(null)).isNull();
        assertThat(ExpositionNegotiation.choose("application/openmetrics-text;q=abc")).isNull();
    }
}
