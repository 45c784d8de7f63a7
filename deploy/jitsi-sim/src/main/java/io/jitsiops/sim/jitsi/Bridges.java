package io.jitsiops.sim.jitsi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitsiops.sim.service.ConferenceSimulator;
import io.jitsiops.sim.service.ConferenceSimulator.ConferenceEvent;
import io.jitsiops.sim.service.Fault;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.LogWriter;
import io.jitsiops.sim.service.SimConference;
import io.jitsiops.sim.service.SimConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/** The simulated bridges: their metrics, health, stats and debug documents, kept in step with the conferences. */
@Startup
@ApplicationScoped
public class Bridges {
    private final Map<String, Bridge> bridges = new LinkedHashMap<>();
    private final ConferenceSimulator conferences;
    private final FaultRegistry faults;
    private final SimConfig config;

    public Bridges(ConferenceSimulator conferences, FaultRegistry faults, SimConfig config, LogWriter logs) {
        this.conferences = conferences;
        this.faults = faults;
        this.config = config;
        JitsiLogs.configure((program, entry) -> logs.appendJitsi(program, entry), Level.parse(config.jitsiLogLevel()));
        List<String> restApi = config.restApiBridges().orElse(List.of());
        for (String name : conferences.bridges()) {
            Bridge b = new Bridge(name, restApi.contains(name), config.jvbVersion(), config.jvbHealthInterval());
            bridges.put(name, b);
            conferences.conferences(name).forEach(c -> {
                b.conferenceCreated(c);
                c.endpoints().forEach(e -> b.endpointCreated(c, e));
            });
            b.runHealthCheck(faults.of(name).orElse(null));
            b.updatePeriodicMetrics(conferences.conferences(name));
        }
        faults.onChange(this::faultsChanged);
        logs.onJitsiError(component -> {
            if ("jvb".equals(component)) {
                JitsiErrors.jvb(bridges.values().stream().flatMap(b -> b.conferenceLoggers.values().stream()).toList());
            } else {
                jicofoErrors.run();
            }
        });
    }

    private volatile Runnable jicofoErrors = () -> {
    };

    /** jicofo writes its own error entries (its conferences' loggers). */
    void onJicofoError(Runnable writer) {
        jicofoErrors = writer;
    }

    public Optional<Bridge> bridge(String name) {
        return Optional.ofNullable(bridges.get(name));
    }

    public List<Bridge> all() {
        return List.copyOf(bridges.values());
    }

    /** A bridge process that is gone (REFUSED) is no longer in jicofo's brewery MUC. */
    public boolean running(Bridge b) {
        return faults.of(b.name).map(f -> f.kind() != Fault.Kind.REFUSED).orElse(true);
    }

    /**
     * Whether jicofo would use this bridge: in the brewery, and passing jicofo's health checks of it
     * (jicofo BridgeSelector.healthCheckFailed/TimedOut mark it non-operational).
     */
    public boolean operational(Bridge b) {
        Optional<Fault> f = faults.of(b.name);
        return running(b) && b.healthy() && f.map(x -> x.kind() != Fault.Kind.SLOW).orElse(true);
    }

    void onConference(@Observes ConferenceEvent e) {
        Bridge b = bridges.get(e.conference().bridge());
        if (b == null) {
            return;
        }
        switch (e.kind()) {
            case CONFERENCE_CREATED -> b.conferenceCreated(e.conference());
            case ENDPOINT_CREATED -> b.endpointCreated(e.conference(), e.endpoint());
            case ENDPOINT_EXPIRED -> b.endpointExpired(e.endpoint());
            case QUALITY_CHANGED -> { }
            case CONFERENCE_EXPIRED -> b.conferenceExpired(e.conference());
        }
        b.updatePeriodicMetrics(conferences.conferences(b.name));
    }

    private void faultsChanged(Set<String> targets) {
        targets.stream().map(bridges::get).filter(java.util.Objects::nonNull)
                .forEach(b -> b.runHealthCheck(faults.of(b.name).orElse(null)));
    }

    /** The admin API changed drain mode, the stats generation or the REST API switch: effective at once. */
    public void setDrain(Bridge b, boolean drain) {
        conferences.setDraining(b.name, drain);
        b.setDrain(drain);
    }

    public void setRestApi(Bridge b, boolean enabled) {
        b.restApiEnabled = enabled;
    }

    public void setGeneration(Bridge b, Bridge.StatsGeneration generation, String version) {
        b.generation = generation;
        b.version = version == null || version.isBlank() ? config.jvbVersion() : version;
    }

    public void setDebugGeneration(Bridge b, Bridge.DebugGeneration generation) {
        b.debugGeneration = generation;
    }

    /** Back to the configured state (admin reset). */
    public void reset() {
        List<String> restApi = config.restApiBridges().orElse(List.of());
        bridges.values().forEach(b -> {
            b.restApiEnabled = restApi.contains(b.name);
            b.generation = Bridge.StatsGeneration.CURRENT;
            b.debugGeneration = Bridge.DebugGeneration.CURRENT;
            b.version = config.jvbVersion();
            setDrain(b, false);
        });
    }

    @Scheduled(every = "${jitsisim.stats-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void updateStats() {
        bridges.values().forEach(b -> b.updatePeriodicMetrics(conferences.conferences(b.name)));
    }

    @Scheduled(every = "${jitsisim.jvb-health-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkHealth() {
        bridges.values().stream().filter(this::running).forEach(b -> b.runHealthCheck(faults.of(b.name).orElse(null)));
    }

    public ObjectNode colibriStats(Bridge b) {
        List<SimConference> confs = conferences.conferences(b.name);
        return b.generation == Bridge.StatsGeneration.CURRENT ? ColibriStats.current(b) : ColibriStats.pre2024(b, confs);
    }

    public ObjectNode debug(Bridge b, boolean full) {
        b.mediaForwarded(conferences.conferences(b.name));
        return BridgeDebug.bridge(b, conferences.conferences(b.name), full);
    }

    public ObjectNode debug(Bridge b, String confId, String endpointId, boolean full) {
        b.mediaForwarded(conferences.conferences(b.name));
        SimConference c = conferences.conferences(b.name).stream().filter(x -> x.id().equals(confId)).findFirst()
                .orElse(null);
        return BridgeDebug.conference(b, c, confId, endpointId, full);
    }
}
