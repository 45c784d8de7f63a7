package io.jitsiops.health.probe;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;

/**
 * The web front serves Jitsi Meet. nginx's single-page fallback answers {@code index.html} with 200 for any path
 * (jitsi-meet {@code doc/debian/jitsi-meet/jitsi-meet.example}: a path that is not a file is a room name), so a 200
 * proves little; this check proves the application is there: the index mentions it (its bundles or title),
 * {@code config.js} is the site's JavaScript configuration ({@code var config = { hosts: { domain: ... } }}, not the
 * index page the fallback would give for a missing file) and names the deployment's XMPP domain, and
 * {@code external_api.js} defines {@code JitsiMeetExternalAPI}.
 */
public final class JitsiMeetSiteProbe extends HttpProbe {
    private static final Pattern DOMAIN = Pattern.compile("hosts\\s*[:=]\\s*\\{[^}]*?domain\\s*:\\s*['\"]([^'\"]+)['\"]",
            Pattern.DOTALL);
    private static final Pattern CONFIG = Pattern.compile("\\bvar\\s+config\\s*=\\s*\\{|\\bconfig\\.hosts\\s*=");
    private final String xmppDomain;

    /** @param xmppDomain the deployment's XMPP domain, or null not to compare it with config.js */
    public JitsiMeetSiteProbe(CheckKey key, URI site, String xmppDomain, ProbeSettings settings, HttpProber http,
                              HealthConfig config) {
        super(key, settings, site, http, config);
        this.xmppDomain = xmppDomain;
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return http.get(uri, settings.timeout(), Map.of()).flatMap(index -> {
            ProbeOutcome page = HttpOutcomes.evaluate(index, settings.expectedStatus(), config, Map.of());
            if (page.failed()) {
                return Uni.createFrom().item(page);
            }
            if (!mentionsJitsiMeet(index.body())) {
                return Uni.createFrom().item(ProbeOutcome.down(index.latencyMs(),
                        "the page is not Jitsi Meet (no app bundle or title)" + HttpOutcomes.snippet(index.body()),
                        page.measurements()));
            }
            return http.get(resolve("config.js"), settings.timeout(), Map.of()).flatMap(configJs -> {
                String configProblem = configProblem(configJs);
                if (configProblem != null) {
                    return Uni.createFrom().item(ProbeOutcome.down(index.latencyMs(), configProblem, page.measurements()));
                }
                return http.get(resolve("external_api.js"), settings.timeout(), Map.of()).map(api -> {
                    Map<String, Double> m = new HashMap<>(page.measurements());
                    long total = index.latencyMs() + configJs.latencyMs() + api.latencyMs();
                    m.put("web.assets_ms", (double) (configJs.latencyMs() + api.latencyMs()));
                    if (api.status() != 200 || api.body() == null || !api.body().contains("JitsiMeetExternalAPI")) {
                        return ProbeOutcome.down(index.latencyMs(), "external_api.js is missing or is not the Jitsi Meet "
                                + "API (HTTP " + api.status() + ")" + HttpOutcomes.snippet(api.body()), m);
                    }
                    String domain = domain(configJs.body());
                    if (xmppDomain != null && !xmppDomain.equals(domain)) {
                        return ProbeOutcome.degraded(index.latencyMs(), "config.js names hosts.domain '" + domain
                                + "', the deployment's XMPP domain is '" + xmppDomain + "'", m);
                    }
                    return HttpOutcomes.degradedIfSlowOrExpiring(Math.max(index.latencyMs(), total), m, config);
                });
            });
        });
    }

    static boolean mentionsJitsiMeet(String body) {
        return body != null && (body.contains("app.bundle") || body.contains("lib-jitsi-meet")
                || body.contains("<title>Jitsi Meet") || body.contains("JitsiMeetJS"));
    }

    /** Null when config.js is the site configuration; otherwise what is wrong with it. */
    static String configProblem(HttpProber.Answer configJs) {
        if (configJs.status() != 200) {
            return "config.js: HTTP " + configJs.status() + HttpOutcomes.snippet(configJs.body());
        }
        String body = configJs.body() == null ? "" : configJs.body();
        if (body.stripLeading().startsWith("<")) {
            return "config.js is an HTML page, not the site configuration (nginx's fallback answered the index)";
        }
        if (!CONFIG.matcher(body).find()) {
            return "config.js does not define the Jitsi Meet configuration (no 'var config = {')";
        }
        if (domain(body) == null) {
            return "config.js has no hosts.domain";
        }
        return null;
    }

    static String domain(String configJs) {
        Matcher m = DOMAIN.matcher(configJs == null ? "" : configJs);
        return m.find() ? m.group(1) : null;
    }

    private URI resolve(String file) {
        String base = uri.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + file);
    }
}
