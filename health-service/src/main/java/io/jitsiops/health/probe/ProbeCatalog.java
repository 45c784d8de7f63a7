package io.jitsiops.health.probe;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DurationParser;
import io.jitsiops.health.conference.ConferenceProbe;
import io.jitsiops.health.conference.ConferenceProbeSettings;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.janssen.JanssenProbes;
import io.micrometer.core.instrument.MeterRegistry;

/** Every check the deployment description calls for, built once at start-up. */
@ApplicationScoped
public class ProbeCatalog {
    private final List<Probe> probes;

    public ProbeCatalog(DeploymentDescription deployment, HealthConfig config, HttpProber http, MeterRegistry registry) {
        List<Probe> all = build(deployment, config, http);
        // The synthetic conference: off unless the description has an XMPP domain and a prosody (and it is enabled).
        ConferenceProbeSettings.of(deployment, config.conferenceProbe())
                .ifPresent(s -> all.add(new ConferenceProbe(s, http, http.sslContext(), registry)));
        this.probes = List.copyOf(all);
    }

    public List<Probe> probes() {
        return probes;
    }

    static List<Probe> build(DeploymentDescription deployment, HealthConfig config, HttpProber http) {
        List<Probe> list = new ArrayList<>();
        DeploymentDescription.Jitsi jitsi = deployment.jitsi();
        if (jitsi != null) {
            for (DeploymentDescription.Target t : jitsi.prosody()) {
                list.add(new ProsodyBoshProbe(new CheckKey("prosody", t.name(), "bosh-session"),
                        url(t, "/http-bind"), jitsi.xmppDomain(), ProbeSettings.of(t, config), http, config));
                if (jitsi.websocketPath() != null) {
                    list.add(new ProsodyWebsocketProbe(new CheckKey("prosody", t.name(), "websocket-session"),
                            join(t.url(), jitsi.websocketPath()), jitsi.xmppDomain(), ProbeSettings.of(t, config), http,
                            config));
                }
            }
            for (DeploymentDescription.Target t : jitsi.jicofo()) {
                list.add(new AboutHealthProbe(new CheckKey("jicofo", t.name(), "about-health"), url(t, "/about/health"),
                        ProbeSettings.of(t, config), http, config));
            }
            for (DeploymentDescription.Target t : jitsi.jvb()) {
                ProbeSettings s = ProbeSettings.of(t, config);
                list.add(new AboutHealthProbe(new CheckKey("jvb", t.name(), "about-health"), url(t, "/about/health"), s,
                        http, config));
                list.add(new JvbStatsProbe(new CheckKey("jvb", t.name(), "colibri-stats"),
                        join(t.url(), "/colibri/stats"), s, http, config));
            }
            for (DeploymentDescription.Target t : jitsi.web()) {
                ProbeSettings s = ProbeSettings.of(t, config);
                list.add(new JitsiMeetSiteProbe(new CheckKey("web", t.name(), "site"), URI.create(t.url()),
                        jitsi.xmppDomain(), s, http, config));
                // The web front has no health endpoint (any path is the index page); only a configured one is checked.
                if (t.healthPath() != null) {
                    list.add(new AboutHealthProbe(new CheckKey("web", t.name(), "about-health"), url(t, "/about/health"),
                            s, http, config));
                }
            }
        }
        list.addAll(JanssenProbes.forDeployment(deployment, config, http));
        if (config.host().enabled()) {
            list.add(new HostResourcesProbe(new CheckKey("host", localHostName(), "resources"),
                    new ProbeSettings(config.host().interval(), config.defaultTimeout(), 0, 200), Path.of("/proc"),
                    config.host()));
        }
        for (DeploymentDescription.Host h : deployment.hosts()) {
            ProbeSettings s = new ProbeSettings(h.interval() == null ? config.host().interval()
                    : DurationParser.parse(h.interval()), config.defaultTimeout(), 0, 200);
            list.add(new NodeExporterProbe(new CheckKey("host", h.name(), "resources"), s, URI.create(h.url()), http, config));
        }
        return list;
    }

    private static URI url(DeploymentDescription.Target t, String defaultPath) {
        return join(t.url(), t.healthPath() != null ? t.healthPath() : defaultPath);
    }

    static URI join(String base, String path) {
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
