package io.jitsiops.metrics.scrape;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.exposition.ExpositionFormatException;
import io.jitsiops.metrics.exposition.ExpositionParser;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.smallrye.mutiny.Uni;

/**
 * Reads one target's server statistics, current formats first, older second, and says which setting to change
 * when a target cannot be measured (instead of graphing zeros, what systemli/prometheus-jitsi-meet-exporter users
 * hit in its issues #4 and #25):
 * <ul>
 * <li>JVB: {@code /metrics} (Prometheus/OpenMetrics, negotiated like Prometheus does: OpenMetrics preferred; always
 * with an explicit {@code Accept}, and JSON read too when a 2.3.16x-era bridge answers it anyway:
 * {@link JvbMetricsJson}). On 404
 * ({@code videobridge.rest.prometheus.enabled = false}) {@code /colibri/stats}, which is off by default
 * ({@code videobridge.apis.rest.enabled}).</li>
 * <li>jicofo: {@code /metrics} ({@code jicofo.rest.prometheus.enabled}) and {@code /stats}; /metrics wins for a name
 * both give.</li>
 * <li>web (nginx serving jitsi-meet): {@code stub_status} at {@code jitsiops.metrics.nginx-status-path}
 * ({@link NginxStubStatus}).</li>
 * <li>prosody: {@code mod_http_openmetrics} at {@code /metrics} (prosody answers 404 when the module is not loaded,
 * 404 "No statistics provider configured" without {@code statistics = "internal"}, 403 for an address outside
 * {@code openmetrics_allow_ips}/{@code openmetrics_allow_cidr}).</li>
 * </ul>
 */
@ApplicationScoped
public class StatsScraper {
    /** What Prometheus 2.x sends: OpenMetrics first, then the 0.0.4 text format. */
    public static final String ACCEPT_EXPOSITION = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The finding's endpoint when nothing listens at the target's address. */
    static final String CONNECTION = "connection";

    private final HttpFetcher http;
    private final CounterRates rates;
    private final Findings findings;
    private final ScrapeStats stats;
    private final MetricsConfig config;
    /** Each web target's accepts - handled at its previous scrape. */
    private final java.util.Map<String, Long> droppedBefore = new java.util.concurrent.ConcurrentHashMap<>();

    public StatsScraper(HttpFetcher http, CounterRates rates, Findings findings, ScrapeStats stats, MetricsConfig config) {
        this.http = http;
        this.rates = rates;
        this.findings = findings;
        this.stats = stats;
        this.config = config;
    }

    /** Forgets what the scrapes of the target left behind (counter values for rates, nginx's dropped connections). */
    public void forget(ScrapeTarget t) {
        rates.forget(t.component(), t.name());
        droppedBefore.remove(t.key());
    }

    /** The target's readings, or null when none of its endpoints answered usefully (errors and findings recorded). */
    public Uni<Readings> scrape(ScrapeTarget t) {
        Instant at = Instant.now();
        return switch (t.component()) {
            case "jvb" -> jvb(t, at);
            case "jicofo" -> jicofo(t, at);
            case "web" -> nginx(t, at);
            default -> prosody(t, at);
        };
    }

    private Uni<Readings> jvb(ScrapeTarget t, Instant at) {
        return exposition(t, "/metrics", "videobridge.rest.prometheus.enabled = true (jvb.conf)").onItem().transformToUni(families -> {
            if (families != null) {
                Readings r = Readings.fromExposition(t.component(), t.name(), at, families, rates);
                if (r.has("jitsi_jvb_current_endpoints") && !r.has("jitsi_jvb_rtp_transit_time_bucket")) {
                    findings.raise(t, "/metrics#rtp_transit_time", "no jitsi_jvb_rtp_transit_time histogram: the RTP delay "
                            + "graphs and Jitsi's RTP delay alert have no data", "videobridge.stats.transit-time.enable-prometheus = true (jvb.conf)");
                } else {
                    findings.clear(t, "/metrics#rtp_transit_time");
                }
                return Uni.createFrom().item(allZero(t, r));
            }
            return json(t, "/colibri/stats", "videobridge.apis.rest.enabled = true (jvb.conf)")
                    .map(json -> json == null ? null : allZero(t, Readings.fromExposition(t.component(), t.name(), at,
                            ColibriStats.families(json), rates)));
        });
    }

    /** A bridge with participants but no media at all is not measuring (or is measured wrongly): say so. */
    private Readings allZero(ScrapeTarget t, Readings r) {
        double endpoints = r.value("jitsi_jvb_current_endpoints");
        double in = r.value("jitsi_jvb_incoming_bitrate");
        double out = r.value("jitsi_jvb_outgoing_bitrate");
        double packets = r.value("jitsi_jvb_incoming_packet_rate");
        if (endpoints > 0 && in == 0 && out == 0 && (Double.isNaN(packets) || packets == 0)) {
            findings.raise(t, "statistics", "reports " + (long) endpoints + " endpoints but zero bitrate and packet rate: "
                    + "statistics are not being gathered", "videobridge.stats.interval > 0 (jvb.conf); on bridges "
                    + "before 2.1 also videobridge.stats.enabled = true or org.jitsi.videobridge.ENABLE_STATISTICS=true");
        } else {
            findings.clear(t, "statistics");
        }
        return r;
    }

    private Uni<Readings> jicofo(ScrapeTarget t, Instant at) {
        Uni<List<MetricFamily>> metrics = exposition(t, "/metrics", "jicofo.rest.prometheus.enabled = true (jicofo.conf)");
        Uni<JsonNode> statsJson = json(t, "/stats", "jicofo.rest.enabled = true (jicofo.conf)");
        return Uni.combine().all().unis(metrics, statsJson).with((families, json) -> {
            if (families == null && json == null) {
                return null;
            }
            List<MetricFamily> all = new ArrayList<>(families == null ? List.of() : families);
            if (json != null) {
                Set<String> have = new HashSet<>();
                all.forEach(f -> f.samples().forEach(s -> have.add(s.name())));
                for (MetricFamily f : JicofoStats.families(json)) {
                    if (f.samples().stream().noneMatch(s -> have.contains(s.name()))) {
                        all.add(f);
                    }
                }
            }
            return Readings.fromExposition(t.component(), t.name(), at, all, rates);
        });
    }

    private Uni<Readings> prosody(ScrapeTarget t, Instant at) {
        return exposition(t, "/metrics", null).map(f -> f == null ? null : Readings.fromExposition(t.component(), t.name(), at, f, rates));
    }

    /**
     * The web front's nginx {@code stub_status}. jitsi-meet's site answers any unknown path with its room page (200,
     * HTML), so a site without the location is told apart by the page, not only by a 404.
     */
    private Uni<Readings> nginx(ScrapeTarget t, Instant at) {
        String path = config.nginxStatusPath();
        String setting = "location = " + path + " { stub_status; allow <jitsi-ops' address>; deny all; } in the site's "
                + "server block (nginx), or jitsiops.metrics.nginx-status-path";
        return http.get(t.url() + path, "text/plain", t.timeout(), config.maxBodyBytes()).map(f -> {
            if (!f.ok()) {
                refused(t, path, f, setting);
                return (Readings) null;
            }
            NginxStubStatus.Page page;
            try {
                page = NginxStubStatus.parse(f.body());
            } catch (IllegalArgumentException e) {
                error(t, path, f.elapsedMillis(), e.getMessage());
                findings.raise(t, path, "answers a page that is not stub_status (" + f.contentType()
                        + "; jitsi-meet's site serves its room page for any unknown path)", setting);
                return null;
            }
            ok(t, path, f);
            dropped(t, page.dropped());
            return Readings.fromExposition(t.component(), t.name(), at, NginxStubStatus.families(page), rates);
        }).onFailure().recoverWithItem(e -> {
            failed(t, path, e);
            return null;
        });
    }

    /**
     * {@code accepts - handled} grew since the previous scrape (or is above zero on the first one): nginx dropped
     * connections because it ran out of worker connections. Cleared once it stops growing.
     */
    private void dropped(ScrapeTarget t, long dropped) {
        Long before = droppedBefore.put(t.key(), dropped);
        if (dropped > (before == null ? 0 : before)) {
            findings.raise(t, "stub_status#dropped", "nginx dropped " + (dropped - (before == null ? 0 : before))
                    + " accepted connections (" + dropped + " since it started: accepts > handled): worker_connections "
                    + "is exhausted", "worker_connections (events block of nginx.conf) and worker_rlimit_nofile above the "
                    + "peak of active connections");
        } else {
            findings.clear(t, "stub_status#dropped");
        }
    }

    private Uni<List<MetricFamily>> exposition(ScrapeTarget t, String path, String settingOn404) {
        return http.get(t.url() + path, ACCEPT_EXPOSITION, t.timeout(), config.maxBodyBytes()).map(f -> {
            if (!f.ok()) {
                refused(t, path, f, settingOn404);
                return (List<MetricFamily>) null;
            }
            if (isJson(f) && !t.component().equals("prosody")) {
                // An Accept was sent, yet JSON came: a JVB 2.3.16x-era server (see JvbMetricsJson). Read, not fail.
                try {
                    JsonNode node = JSON.readTree(f.body());
                    if (node != null && node.isObject()) {
                        ok(t, path, f);
                        return JvbMetricsJson.families(node, t.component().equals("jvb") ? "jitsi_jvb" : "jitsi_jicofo");
                    }
                    error(t, path, f.elapsedMillis(), "JSON /metrics is not an object");
                } catch (Exception e) {
                    error(t, path, f.elapsedMillis(), "not JSON (" + f.contentType() + "): " + e.getMessage());
                }
                return null;
            }
            try {
                List<MetricFamily> families = ExpositionParser.parse(f.body(), ExpositionParser.Format.fromContentType(f.contentType()));
                ok(t, path, f);
                return families;
            } catch (ExpositionFormatException e) {
                error(t, path, f.elapsedMillis(), "not valid exposition text (" + f.contentType() + "): " + e.getMessage());
                return null;
            }
        }).onFailure().recoverWithItem(e -> {
            failed(t, path, e);
            return null;
        });
    }

    private static boolean isJson(Fetched f) {
        String type = f.contentType() == null ? "" : f.contentType().trim().toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/json") || (!type.startsWith("text/") && !type.startsWith("application/openmetrics")
                && f.body().stripLeading().startsWith("{"));
    }

    private Uni<JsonNode> json(ScrapeTarget t, String path, String settingOn404) {
        return http.get(t.url() + path, "application/json", t.timeout(), config.maxBodyBytes()).map(f -> {
            if (!f.ok()) {
                refused(t, path, f, settingOn404);
                return (JsonNode) null;
            }
            try {
                JsonNode node = JSON.readTree(f.body());
                if (node == null || !node.isObject()) {
                    error(t, path, f.elapsedMillis(), "not a JSON object");
                    return null;
                }
                ok(t, path, f);
                return node;
            } catch (Exception e) {
                error(t, path, f.elapsedMillis(), "not JSON: " + e.getMessage());
                return null;
            }
        }).onFailure().recoverWithItem(e -> {
            failed(t, path, e);
            return null;
        });
    }

    /**
     * No answer. Connection refused is worth a finding: when the component runs, its REST interface is switched off
     * or listens only on loopback of another host (the JVB's private interface and jicofo's REST default to
     * 127.0.0.1), which only a setting changes. A timeout or a cut-off answer is a scrape error only.
     */
    private void failed(ScrapeTarget t, String path, Throwable e) {
        error(t, path, t.timeout().toMillis(), e.getMessage());
        if (e instanceof FetchException f && f.refused()) {
            String setting = switch (t.component()) {
                case "jvb" -> "videobridge.http-servers.private.host = \"0.0.0.0\" or an address jitsi-ops reaches (jvb.conf; "
                        + "default 127.0.0.1), port videobridge.http-servers.private.port (default 8080)";
                case "jicofo" -> "jicofo.rest.enabled = true and jicofo.rest.host = \"0.0.0.0\" or an address jitsi-ops reaches "
                        + "(jicofo.conf; default 127.0.0.1), port jicofo.rest.port (default 8888)";
                case "web" -> "listen of the nginx server block serving " + config.nginxStatusPath() + " (nginx)";
                default -> "http_ports and http_interfaces so that prosody's HTTP server listens where jitsi-ops reaches it (prosody.cfg.lua)";
            };
            findings.raise(t, CONNECTION, "connection refused at " + t.url() + ": if " + t.component()
                    + " is running, its HTTP interface is switched off or not reachable from jitsi-ops", setting);
        }
    }

    private void refused(ScrapeTarget t, String path, Fetched f, String settingOn404) {
        String error = "HTTP " + f.status();
        stats.record(t, path, f.elapsedMillis(), error);
        findings.clear(t, CONNECTION); // it answered: reachable
        if (t.component().equals("prosody")) {
            if (f.status() == 404 && f.body().contains("No statistics provider configured")) {
                findings.raise(t, path, "404: prosody has no statistics provider", "statistics = \"internal\" (prosody.cfg.lua)");
            } else if (f.status() == 404) {
                findings.raise(t, path, "404: mod_http_openmetrics is not loaded",
                        "modules_enabled = { …, \"http_openmetrics\" } and statistics = \"internal\" (prosody.cfg.lua)");
            } else if (f.status() == 403) {
                findings.raise(t, path, "403: jitsi-ops' address may not read the metrics",
                        "openmetrics_allow_ips or openmetrics_allow_cidr including jitsi-ops' address (prosody.cfg.lua)");
            }
        } else if (f.status() == 404 && settingOn404 != null) {
            findings.raise(t, path, "404: the endpoint is switched off", settingOn404);
        }
    }

    private void ok(ScrapeTarget t, String path, Fetched f) {
        stats.record(t, path, f.elapsedMillis(), null);
        findings.clear(t, path);
        findings.clear(t, CONNECTION);
    }

    private void error(ScrapeTarget t, String path, long millis, String message) {
        stats.record(t, path, millis, message);
    }
}
