package io.jitsiops.health.probe;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;

/**
 * A deep prosody check: the BOSH page must answer (mod_bosh's "Prosody BOSH endpoint"), then a real BOSH
 * session is opened (XEP-0124/XEP-0206 session request to the XMPP domain) and must answer a
 * {@code <body sid=...>} carrying stream features. A terminate body names its condition (e.g. host-unknown).
 */
public final class ProsodyBoshProbe extends AbstractProbe {
    private static final Pattern CONDITION = Pattern.compile("condition=['\"]([^'\"]+)['\"]");
    private final URI boshUri;
    private final String xmppDomain;
    private final HttpProber http;
    private final HealthConfig config;

    public ProsodyBoshProbe(CheckKey key, URI boshUri, String xmppDomain, ProbeSettings settings, HttpProber http,
                            HealthConfig config) {
        super(key, settings);
        this.boshUri = boshUri;
        this.xmppDomain = xmppDomain;
        this.http = http;
        this.config = config;
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return http.get(boshUri, settings.timeout(), Map.of()).flatMap(page -> {
            ProbeOutcome pageOutcome = HttpOutcomes.evaluate(page, settings.expectedStatus(), config, Map.of());
            if (pageOutcome.failed()) {
                return Uni.createFrom().item(pageOutcome);
            }
            if (!page.body().contains("BOSH")) {
                return Uni.createFrom().item(ProbeOutcome.down(page.latencyMs(),
                        "not a BOSH endpoint" + HttpOutcomes.snippet(page.body())));
            }
            if (xmppDomain == null) {
                return Uni.createFrom().item(pageOutcome);
            }
            return http.post(boshUri, settings.timeout(), Map.of(), "text/xml; charset=utf-8", sessionRequest())
                    .map(session -> session(pageOutcome, page, session));
        });
    }

    private ProbeOutcome session(ProbeOutcome pageOutcome, HttpProber.Answer page, HttpProber.Answer session) {
        long latency = page.latencyMs() + session.latencyMs();
        Map<String, Double> m = new HashMap<>(pageOutcome.measurements());
        m.put("bosh.session_ms", (double) session.latencyMs());
        if (session.status() != 200) {
            return ProbeOutcome.down(latency, "BOSH session request: HTTP " + session.status()
                    + HttpOutcomes.snippet(session.body()), m);
        }
        String body = session.body();
        if (body.contains("type='terminate'") || body.contains("type=\"terminate\"")) {
            Matcher c = CONDITION.matcher(body);
            return ProbeOutcome.down(latency, "BOSH session refused: " + (c.find() ? c.group(1) : "terminate"), m);
        }
        if (!body.contains("sid=") || !body.contains("features")) {
            return ProbeOutcome.down(latency, "BOSH session not opened: no sid and stream features in the answer"
                    + HttpOutcomes.snippet(body), m);
        }
        return HttpOutcomes.degradedIfSlowOrExpiring(latency, m, config);
    }

    private String sessionRequest() {
        long rid = 1_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        return "<body rid='" + rid + "' to='" + xmppDomain + "' xml:lang='en' wait='10' hold='1' ver='1.6'"
                + " xmpp:version='1.0' xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'/>";
    }
}
