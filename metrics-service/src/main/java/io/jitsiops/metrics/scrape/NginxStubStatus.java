package io.jitsiops.metrics.scrape;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jitsiops.metrics.exposition.Labels;
import io.jitsiops.metrics.exposition.MetricFamily;
import io.jitsiops.metrics.exposition.MetricType;
import io.jitsiops.metrics.exposition.Sample;

/**
 * nginx's {@code stub_status} page (the web front: nginx serving jitsi-meet) as exposition families. nginx prints
 * (nginx/nginx {@code src/http/modules/ngx_http_stub_status_module.c}, {@code ngx_http_stub_status_handler}):
 * <pre>
 * Active connections: 1 ␠
 * server accepts handled requests
 *  14 14 17 ␠
 * Reading: 0 Writing: 1 Waiting: 0 ␠
 * </pre>
 * with a trailing space on lines 1, 3 and 4; copies that lost those spaces (pasted, proxied) are read too.
 * Gauges: {@code nginx_connections_active|reading|writing|waiting}; counters (cumulative since nginx started, so
 * their rates come from {@link CounterRates}): {@code nginx_connections_accepted_total},
 * {@code nginx_connections_handled_total}, {@code nginx_http_requests_total}, and
 * {@code nginx_connections_dropped_total} = accepts − handled: connections nginx accepted and closed at once because
 * {@code worker_connections} (or the process' open-file limit) was exhausted.
 */
public final class NginxStubStatus {
    private static final Pattern PAGE = Pattern.compile("\\AActive connections: (\\d+) ?\\r?\\n"
            + "server accepts handled requests ?\\r?\\n"
            + " ?(\\d+) (\\d+) (\\d+) ?\\r?\\n"
            + "Reading: (\\d+) Writing: (\\d+) Waiting: (\\d+) ?(\\r?\\n)?\\z");

    /** What one page says. */
    public record Page(long active, long accepts, long handled, long requests, long reading, long writing, long waiting) {
        /** Connections accepted and dropped since nginx started. */
        public long dropped() {
            return Math.max(0, accepts - handled);
        }
    }

    private NginxStubStatus() {
    }

    /** The page's figures; {@link IllegalArgumentException} naming what is wrong when it is not a stub_status page. */
    public static Page parse(String body) {
        Matcher m = PAGE.matcher(body);
        if (!m.matches()) {
            String first = body.lines().findFirst().orElse("").strip();
            throw new IllegalArgumentException("not an nginx stub_status page (first line: '"
                    + (first.length() > 60 ? first.substring(0, 60) + "…" : first) + "')");
        }
        return new Page(n(m, 1), n(m, 2), n(m, 3), n(m, 4), n(m, 5), n(m, 6), n(m, 7));
    }

    public static List<MetricFamily> families(Page p) {
        return List.of(
                family("nginx_connections_active", MetricType.GAUGE, "Active client connections including Waiting ones", p.active()),
                family("nginx_connections_reading", MetricType.GAUGE, "Connections where nginx is reading the request header", p.reading()),
                family("nginx_connections_writing", MetricType.GAUGE, "Connections where nginx is writing the response back", p.writing()),
                family("nginx_connections_waiting", MetricType.GAUGE, "Idle client connections waiting for a request", p.waiting()),
                family("nginx_connections_accepted_total", MetricType.COUNTER, "Accepted client connections", p.accepts()),
                family("nginx_connections_handled_total", MetricType.COUNTER, "Handled connections", p.handled()),
                family("nginx_http_requests_total", MetricType.COUNTER, "Client requests", p.requests()),
                family("nginx_connections_dropped_total", MetricType.COUNTER,
                        "Accepted connections nginx could not handle (accepts - handled: worker_connections exhausted)", p.dropped()));
    }

    private static MetricFamily family(String name, MetricType type, String help, long value) {
        return new MetricFamily(name, type, help + " (nginx stub_status)", null,
                List.of(new Sample(name, Labels.EMPTY, value, Sample.NO_TIMESTAMP, null)));
    }

    private static long n(Matcher m, int group) {
        return Long.parseLong(m.group(group));
    }
}
