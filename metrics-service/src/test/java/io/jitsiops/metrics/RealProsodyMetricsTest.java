package io.jitsiops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jitsiops.metrics.model.Finding;
import io.jitsiops.metrics.model.Point;
import io.jitsiops.metrics.scrape.Findings;
import io.jitsiops.metrics.scrape.Readings;
import io.jitsiops.metrics.scrape.ScrapeTarget;
import io.jitsiops.metrics.scrape.StatsScraper;
import io.jitsiops.testkit.JitsiOpsTestResource;
import io.jitsiops.testkit.LocalServers;
import io.jitsiops.testkit.server.DebianPackages;
import io.jitsiops.testkit.server.LocalServer;
import io.jitsiops.testkit.server.Ports;
import io.jitsiops.testkit.server.Probes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A real prosody (Debian's 0.12, which ships {@code mod_http_openmetrics}) scraped as the service scrapes a deployment's
 * prosody: with the module and {@code statistics = "internal"} its {@code /metrics} is read and stored; each way of
 * having it switched off (module not loaded, no statistics provider, jitsi-ops' address not allowed) is a finding
 * naming the setting, as prosody itself answers it.
 */
@QuarkusTest
@QuarkusTestResource(JitsiOpsTestResource.class)
class RealProsodyMetricsTest {
    private static OpenMetricsProsody withStatistics;
    private static OpenMetricsProsody withoutStatistics;
    private static OpenMetricsProsody notAllowed;

    @Inject
    StatsScraper scraper;
    @Inject
    Findings findings;

    /** prosody with {@code mod_http_openmetrics} loaded; the configuration lines that vary are given. */
    static final class OpenMetricsProsody extends LocalServer {
        private final int httpPort = Ports.free();
        private final int c2sPort = Ports.free();
        private final String extra;

        OpenMetricsProsody(String name, String extra) {
            super(name, Path.of("target", "prosody-openmetrics", name).toAbsolutePath());
            this.extra = extra;
            DebianPackages.require("prosody", "/usr/bin/prosody");
        }

        String url() {
            return "http://127.0.0.1:" + httpPort;
        }

        @Override
        protected void prepare() throws IOException {
            Files.createDirectories(dir.resolve("data"));
            write(dir.resolve("prosody.cfg.lua"), String.join("\n",
                    "data_path = \"" + dir.resolve("data") + "\"",
                    "log = { info = \"*console\" }",
                    "interfaces = { \"127.0.0.1\" }",
                    "c2s_ports = { " + c2sPort + " }",
                    "c2s_interfaces = { \"127.0.0.1\" }",
                    "http_ports = { " + httpPort + " }",
                    "http_interfaces = { \"127.0.0.1\" }",
                    "https_ports = { }",
                    "modules_enabled = { \"bosh\"; \"http\"; \"http_openmetrics\" }",
                    "modules_disabled = { \"s2s\"; \"posix\" }",
                    "consider_bosh_secure = true",
                    "authentication = \"anonymous\"",
                    extra,
                    "VirtualHost \"meet.jitsi\"",
                    ""));
            if (runningAsRoot()) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path p : paths.toList()) {
                        giveTo("prosody", p);
                    }
                }
            }
        }

        @Override
        protected List<String> command() {
            return asUser("prosody", List.of("/usr/bin/prosody", "--config", dir.resolve("prosody.cfg.lua").toString()));
        }

        @Override
        public boolean ready() {
            return Probes.httpStatus(url() + "/http-bind") == 200;
        }

        @Override
        public String endpoint() {
            return url() + "/metrics";
        }
    }

    @BeforeAll
    static void startProsodies() {
        withStatistics = new OpenMetricsProsody("with-statistics", "statistics = \"internal\"\nstatistics_interval = \"manual\"");
        withoutStatistics = new OpenMetricsProsody("without-statistics", "");
        notAllowed = new OpenMetricsProsody("not-allowed", "statistics = \"internal\"\nopenmetrics_allow_ips = { \"192.0.2.10\" }");
        for (OpenMetricsProsody p : List.of(withStatistics, withoutStatistics, notAllowed)) {
            p.start();
        }
    }

    @AfterAll
    static void stopProsodies() {
        for (OpenMetricsProsody p : new OpenMetricsProsody[] { withStatistics, withoutStatistics, notAllowed }) {
            if (p != null) {
                p.stop();
            }
        }
    }

    private static ScrapeTarget target(String name, String url) {
        return new ScrapeTarget("prosody", name, url, Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private Readings scrape(ScrapeTarget t) {
        return scraper.scrape(t).await().atMost(Duration.ofSeconds(10));
    }

    private List<Finding> findingsOf(String target) {
        return findings.all().stream().filter(f -> f.target().equals(target)).toList();
    }

    @Test
    void readsARealProsodysOpenMetricsPage() {
        ScrapeTarget t = target("prosody-openmetrics", withStatistics.url());
        Readings r = scrape(t);
        assertThat(r).isNotNull();
        assertThat(r.points()).extracting(p -> p.key().name())
                .contains("prosody_mod_bosh__new_sid_total", "prosody_stats_collection_seconds_count")
                .anyMatch(n -> n.equals("prosody_stats_collection_seconds_bucket"));
        assertThat(r.points()).filteredOn(p -> p.key().name().equals("prosody_stats_collection_seconds_bucket"))
                .extracting(Point::kind).containsOnly(Point.Kind.HISTOGRAM);
        assertThat(findingsOf("prosody-openmetrics")).isEmpty();
    }

    @Test
    void aProsodyWithoutTheModuleIsAFindingNamingModulesEnabled() {
        // the test kit's prosody: BOSH and websocket as a Jitsi deployment has them, no mod_http_openmetrics
        ScrapeTarget t = target("prosody-no-module", LocalServers.prosody().httpUrl());
        assertThat(scrape(t)).isNull();
        assertThat(findingsOf("prosody-no-module")).singleElement().satisfies(f -> {
            assertThat(f.problem()).contains("mod_http_openmetrics is not loaded");
            assertThat(f.setting()).contains("\"http_openmetrics\"").contains("statistics = \"internal\"");
        });
    }

    @Test
    void aProsodyWithoutAStatisticsProviderIsAFindingNamingStatistics() {
        ScrapeTarget t = target("prosody-no-statistics", withoutStatistics.url());
        assertThat(scrape(t)).isNull();
        assertThat(findingsOf("prosody-no-statistics")).singleElement().satisfies(f -> {
            assertThat(f.problem()).contains("no statistics provider");
            assertThat(f.setting()).isEqualTo("statistics = \"internal\" (prosody.cfg.lua)");
        });
    }

    @Test
    void aProsodyThatDoesNotAllowOurAddressIsAFindingNamingTheAllowList() {
        ScrapeTarget t = target("prosody-not-allowed", notAllowed.url());
        assertThat(scrape(t)).isNull();
        assertThat(findingsOf("prosody-not-allowed")).singleElement().satisfies(f -> {
            assertThat(f.problem()).startsWith("403");
            assertThat(f.setting()).contains("openmetrics_allow_ips").contains("openmetrics_allow_cidr");
        });
        // once allowed (here: the module's own default, loopback), the finding clears on the next scrape
        assertThat(scrape(target("prosody-not-allowed", withStatistics.url()))).isNotNull();
        assertThat(findingsOf("prosody-not-allowed")).isEmpty();
    }
}
