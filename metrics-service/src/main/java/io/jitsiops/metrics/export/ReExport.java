package io.jitsiops.metrics.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.jitsiops.metrics.config.MetricsConfig;
import io.jitsiops.metrics.exposition.Labels;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;
import io.jitsiops.metrics.model.Finding;
import io.jitsiops.metrics.quality.ConferenceQuality;
import io.jitsiops.metrics.scrape.Findings;
import io.jitsiops.metrics.scrape.Readings;
import io.jitsiops.metrics.scrape.ScrapeStats;
import io.jitsiops.metrics.service.BufferStatus;
import io.jitsiops.metrics.service.MetricsPipeline;
import io.jitsiops.metrics.service.QualityPipeline;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.quarkus.runtime.StartupEvent;

/**
 * Everything collected, on this service's {@code /q/metrics} next to its own JVM metrics, so that Prometheus can
 * scrape jitsi-ops instead of a separate Jitsi exporter:
 * <ul>
 * <li>the bridges', jicofos' and prosodys' own families under their own names, types, help texts and labels
 * (histograms with every bucket), plus labels {@code component} and {@code target} (a scraped label of that name
 * becomes {@code exported_component}/{@code exported_target});</li>
 * <li>per-conference quality: {@code jitsi_ops_conference_*} (labels conference, room, bridge, source);</li>
 * <li>the scrapes themselves: {@code jitsi_ops_metrics_*} (scrapes, errors, durations, up, findings, buffers).</li>
 * </ul>
 * Label cardinality is bounded: at most {@code jitsiops.metrics.export.max-conferences} conferences and
 * {@code max-series-per-metric} series per metric and target; the rest is counted in
 * {@code jitsi_ops_metrics_export_overflow_total{kind}}.
 */
@ApplicationScoped
public class ReExport extends Collector {
    private final MetricsPipeline metrics;
    private final QualityPipeline quality;
    private final ScrapeStats stats;
    private final Findings findings;
    private final MetricsConfig config;
    private final PrometheusMeterRegistry registry;
    private final AtomicLong seriesOverflow = new AtomicLong();
    private final AtomicLong conferenceOverflow = new AtomicLong();

    public ReExport(MetricsPipeline metrics, QualityPipeline quality, ScrapeStats stats, Findings findings, MetricsConfig config,
                    PrometheusMeterRegistry registry) {
        this.metrics = metrics;
        this.quality = quality;
        this.stats = stats;
        this.findings = findings;
        this.config = config;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent start) {
        registry.getPrometheusRegistry().register(this);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Map<String, MetricFamilySamples> out = new LinkedHashMap<>();
        for (Readings r : metrics.latest()) {
            for (MetricFamily f : r.families()) {
                scraped(r, f, out);
            }
        }
        List<MetricFamilySamples> list = new ArrayList<>(out.values());
        conferences(list);
        own(list);
        return list;
    }

    private void scraped(Readings r, MetricFamily f, Map<String, MetricFamilySamples> out) {
        Type type = type(f.type());
        String name = familyName(f);
        MetricFamilySamples family = out.get(name);
        if (family == null) {
            family = new MetricFamilySamples(name, type, f.help() == null ? name : f.help(), new ArrayList<>());
            out.put(name, family);
        } else if (family.type != type) {
            return; // one name, two types across targets: the first target's type stands
        }
        int n = 0;
        for (io.jitsiops.metrics.exposition.Sample s : f.samples()) {
            if (s.name().endsWith("_created") && f.type() != MetricType.GAUGE && f.type() != MetricType.UNTYPED) {
                continue;
            }
            if (++n > config.export().maxSeriesPerMetric()) {
                seriesOverflow.incrementAndGet();
                continue;
            }
            Labels l = s.labels();
            List<String> names = new ArrayList<>(l.size() + 2);
            List<String> values = new ArrayList<>(l.size() + 2);
            names.add("component");
            values.add(r.component());
            names.add("target");
            values.add(r.target());
            for (int i = 0; i < l.size(); i++) {
                String ln = l.name(i);
                names.add(ln.equals("component") || ln.equals("target") ? "exported_" + ln : ln);
                values.add(l.value(i));
            }
            family.samples.add(new MetricFamilySamples.Sample(s.name(), names, values, s.value()));
        }
    }

    private static String familyName(MetricFamily f) {
        String n = f.name();
        if (f.type() == MetricType.COUNTER && n.endsWith("_total")) {
            return n.substring(0, n.length() - 6);
        }
        if (f.type() == MetricType.INFO && n.endsWith("_info")) {
            return n.substring(0, n.length() - 5);
        }
        return n;
    }

    private static Type type(MetricType t) {
        return switch (t) {
            case COUNTER -> Type.COUNTER;
            case GAUGE -> Type.GAUGE;
            case HISTOGRAM -> Type.HISTOGRAM;
            case GAUGEHISTOGRAM -> Type.GAUGE_HISTOGRAM;
            case SUMMARY -> Type.SUMMARY;
            case INFO -> Type.INFO;
            case STATESET -> Type.STATE_SET;
            default -> Type.UNKNOWN;
        };
    }

    private static final List<String> CONFERENCE_LABELS = List.of("conference", "room", "bridge", "source");

    private void conferences(List<MetricFamilySamples> list) {
        Map<String, List<MetricFamilySamples.Sample>> samples = new LinkedHashMap<>();
        String[][] figures = {
                { "jitsi_ops_conference_participants", "Participants of the conference" },
                { "jitsi_ops_conference_bitrate", "Mean bitrate per video-sending stream in bps" },
                { "jitsi_ops_conference_frame_rate", "Mean frame rate per measured video stream in frames per second" },
                { "jitsi_ops_conference_frame_height", "Most common frame height in pixels" },
                { "jitsi_ops_conference_loss_fraction", "Mean fraction of packets lost per stream with packets in the loss window" },
                { "jitsi_ops_conference_jitter", "Mean jitter per stream with a jitter figure in ms (as the JVB's jitter figures)" },
                { "jitsi_ops_conference_average_rtt", "Mean round-trip time in ms (as jitsi_jvb_average_rtt)" },
                { "jitsi_ops_conference_degraded", "1 while the quality rules judge the conference degraded" } };
        for (String[] f : figures) {
            samples.put(f[0], new ArrayList<>());
        }
        int n = 0;
        for (ConferenceQuality q : quality.latest()) {
            if (++n > config.export().maxConferences()) {
                conferenceOverflow.incrementAndGet();
                continue;
            }
            List<String> v = List.of(q.conferenceId(), q.room(), q.bridge(), q.source());
            add(samples, "jitsi_ops_conference_participants", v, q.participants());
            if (!Double.isNaN(q.bitrateKbps())) { // no stream sends video (cameras off): no figure, as for loss and RTT
                add(samples, "jitsi_ops_conference_bitrate", v, q.bitrateKbps() * 1000);
            }
            if (!Double.isNaN(q.framesPerSecond())) { // no sender reports a frame rate: no figure
                add(samples, "jitsi_ops_conference_frame_rate", v, q.framesPerSecond());
            }
            add(samples, "jitsi_ops_conference_frame_height", v, q.frameHeight());
            if (!Double.isNaN(q.packetLossPercent())) { // no stream had packets in the loss window: no figure, as for RTT
                add(samples, "jitsi_ops_conference_loss_fraction", v, q.packetLossPercent() / 100);
            }
            if (!Double.isNaN(q.jitterMs())) {
                add(samples, "jitsi_ops_conference_jitter", v, q.jitterMs());
            }
            if (!Double.isNaN(q.rttMs())) {
                add(samples, "jitsi_ops_conference_average_rtt", v, q.rttMs());
            }
            add(samples, "jitsi_ops_conference_degraded", v, q.degraded() ? 1 : 0);
        }
        for (String[] f : figures) {
            list.add(new MetricFamilySamples(f[0], Type.GAUGE, f[1], samples.get(f[0])));
        }
    }

    private static void add(Map<String, List<MetricFamilySamples.Sample>> samples, String name, List<String> values, double v) {
        samples.get(name).add(new MetricFamilySamples.Sample(name, CONFERENCE_LABELS, values, v));
    }

    private void own(List<MetricFamilySamples> list) {
        List<String> ep = List.of("component", "target", "endpoint");
        List<MetricFamilySamples.Sample> scrapes = new ArrayList<>();
        List<MetricFamilySamples.Sample> errors = new ArrayList<>();
        List<MetricFamilySamples.Sample> seconds = new ArrayList<>();
        List<MetricFamilySamples.Sample> up = new ArrayList<>();
        stats.all().forEach((key, e) -> {
            List<String> v = List.of(key.split("\u0000", 3));
            scrapes.add(new MetricFamilySamples.Sample("jitsi_ops_metrics_scrapes_total", ep, v, e.scrapes.get()));
            errors.add(new MetricFamilySamples.Sample("jitsi_ops_metrics_scrape_errors_total", ep, v, e.errors.get()));
            seconds.add(new MetricFamilySamples.Sample("jitsi_ops_metrics_scrape_duration_seconds", ep, v, e.lastSeconds));
            up.add(new MetricFamilySamples.Sample("jitsi_ops_metrics_scrape_up", ep, v, e.up ? 1 : 0));
        });
        list.add(new MetricFamilySamples("jitsi_ops_metrics_scrapes", Type.COUNTER, "Scrapes of each target endpoint", scrapes));
        list.add(new MetricFamilySamples("jitsi_ops_metrics_scrape_errors", Type.COUNTER,
                "Failed scrapes of each target endpoint (refused, timed out, cut off, not parseable, HTTP error)", errors));
        list.add(new MetricFamilySamples("jitsi_ops_metrics_scrape_duration_seconds", Type.GAUGE, "Duration of the last scrape", seconds));
        list.add(new MetricFamilySamples("jitsi_ops_metrics_scrape_up", Type.GAUGE, "1 when the last scrape of the endpoint succeeded", up));

        List<String> fl = List.of("component", "target", "endpoint", "setting");
        List<MetricFamilySamples.Sample> found = new ArrayList<>();
        for (Finding f : findings.all()) {
            found.add(new MetricFamilySamples.Sample("jitsi_ops_metrics_finding", fl,
                    List.of(f.component(), f.target(), f.endpoint(), f.setting() == null ? "" : f.setting()), 1));
        }
        list.add(new MetricFamilySamples("jitsi_ops_metrics_finding", Type.GAUGE,
                "1 for each configuration finding: a target that cannot be measured until the setting is changed", found));

        List<String> bl = List.of("buffer");
        List<MetricFamilySamples.Sample> backlog = new ArrayList<>();
        List<MetricFamilySamples.Sample> dropped = new ArrayList<>();
        List<MetricFamilySamples.Sample> delivered = new ArrayList<>();
        List<BufferStatus> buffers = new ArrayList<>(metrics.buffers());
        buffers.addAll(quality.buffers());
        for (BufferStatus b : buffers) {
            List<String> v = List.of(b.name());
            backlog.add(new MetricFamilySamples.Sample("jitsi_ops_metrics_buffer_backlog", bl, v, b.backlog()));
            dropped.add(new MetricFamilySamples.Sample("jitsi_ops_metrics_buffer_dropped_total", bl, v, b.dropped()));
            delivered.add(new MetricFamilySamples.Sample("jitsi_ops_metrics_buffer_delivered_total", bl, v, b.delivered()));
        }
        list.add(new MetricFamilySamples("jitsi_ops_metrics_buffer_backlog", Type.GAUGE, "Items waiting for Kafka or PostgreSQL", backlog));
        list.add(new MetricFamilySamples("jitsi_ops_metrics_buffer_dropped", Type.COUNTER,
                "Oldest items dropped because a buffer was full while Kafka or PostgreSQL was away", dropped));
        list.add(new MetricFamilySamples("jitsi_ops_metrics_buffer_delivered", Type.COUNTER, "Items delivered to Kafka or PostgreSQL", delivered));

        List<String> kind = List.of("kind");
        list.add(new MetricFamilySamples("jitsi_ops_metrics_export_overflow", Type.COUNTER,
                "Series left out of this re-export by the cardinality caps", List.of(
                new MetricFamilySamples.Sample("jitsi_ops_metrics_export_overflow_total", kind, List.of("series"), seriesOverflow.get()),
                new MetricFamilySamples.Sample("jitsi_ops_metrics_export_overflow_total", kind, List.of("conference"), conferenceOverflow.get()))));
        List<String> outcome = List.of("outcome");
        list.add(new MetricFamilySamples("jitsi_ops_metrics_client_samples", Type.COUNTER, "Browser samples posted to /api/video-metrics",
                List.of(new MetricFamilySamples.Sample("jitsi_ops_metrics_client_samples_total", outcome, List.of("accepted"), quality.clientSamples()),
                        new MetricFamilySamples.Sample("jitsi_ops_metrics_client_samples_total", outcome, List.of("rejected"), quality.rejectedSamples()))));
        list.add(new MetricFamilySamples("jitsi_ops_metrics_client_batches_throttled", Type.COUNTER,
                "Posted batches refused whole (503) because PostgreSQL was behind", List.of(new MetricFamilySamples.Sample(
                "jitsi_ops_metrics_client_batches_throttled_total", List.of(), List.of(), quality.throttledBatches()))));
        list.add(new MetricFamilySamples("jitsi_ops_conference_degraded_transitions", Type.COUNTER,
                "Times a conference became degraded", List.of(new MetricFamilySamples.Sample("jitsi_ops_conference_degraded_transitions_total",
                List.of(), List.of(), quality.degradedTransitions()))));
    }
}
