package io.jitsiops.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.exposition.MetricType;

/** nginx stub_status on the two recorded real pages (recorded/nginx, sources in the README there). */
class NginxStubStatusTest {
    private static final Instant AT = Instant.parse("2026-11-29T08:00:00Z");

    @Test
    void readsAWholePageWithNginxsTrailingSpaces() {
        NginxStubStatus.Page p = NginxStubStatus.parse(Recorded.text("nginx/stub-status-nginx-vaynedu-nginx-1.16.0-53.txt"));
        assertThat(p).isEqualTo(new NginxStubStatus.Page(1, 14, 14, 17, 0, 1, 0));
        assertThat(p.dropped()).isZero();
    }

    @Test
    void readsAPastedPageThatLostTheTrailingSpaces() {
        String posted = Recorded.text("nginx/stub-status-openresty-1.21.4.1-openresty-921.txt");
        String page = posted.substring(posted.indexOf("\n\n") + 2); // after the curl command line and the blank line
        assertThat(NginxStubStatus.parse(page)).isEqualTo(new NginxStubStatus.Page(200, 24470, 24470, 23704, 0, 14, 125));
    }

    @Test
    void connectionFiguresAreGaugesAndAcceptsHandledRequestsCountersWithRates() {
        CounterRates rates = new CounterRates();
        var first = NginxStubStatus.families(new NginxStubStatus.Page(200, 24470, 24470, 23704, 0, 14, 125));
        Readings r1 = Readings.fromExposition("web", "web", AT, first, rates);
        assertThat(r1.value("nginx_connections_active")).isEqualTo(200.0);
        assertThat(r1.value("nginx_connections_waiting")).isEqualTo(125.0);
        assertThat(r1.value("nginx_connections_writing")).isEqualTo(14.0);
        assertThat(first).filteredOn(f -> f.type() == MetricType.COUNTER).extracting(f -> f.name()).containsExactly(
                "nginx_connections_accepted_total", "nginx_connections_handled_total", "nginx_http_requests_total",
                "nginx_connections_dropped_total");
        Readings r2 = Readings.fromExposition("web", "web", AT.plusSeconds(10),
                NginxStubStatus.families(new NginxStubStatus.Page(210, 24570, 24560, 24704, 1, 15, 125)), rates);
        assertThat(r2.value("nginx_connections_accepted_per_second")).isEqualTo(10.0);
        assertThat(r2.value("nginx_http_requests_per_second")).isEqualTo(100.0);
        assertThat(r2.value("nginx_connections_dropped_total")).isEqualTo(10.0);
        assertThat(r2.value("nginx_connections_dropped_per_second")).isEqualTo(1.0);
    }

    @Test
    void jitsiMeetsRoomPageIsNotAStubStatusPage() {
        assertThatThrownBy(() -> NginxStubStatus.parse("<!DOCTYPE html>\n<html>\n  <head>\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an nginx stub_status page")
                .hasMessageContaining("<!DOCTYPE html>");
    }
}
