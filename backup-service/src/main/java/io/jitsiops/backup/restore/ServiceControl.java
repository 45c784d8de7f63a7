package io.jitsiops.backup.restore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jitsiops.backup.client.HealthServiceClient;
import io.jitsiops.backup.client.HealthServiceClient.Verdict;
import io.jitsiops.backup.config.BackupConfig;
import io.jitsiops.backup.config.BackupPlan;
import io.jitsiops.backup.restore.control.CommandController;
import io.jitsiops.backup.restore.control.KubernetesController;
import io.jitsiops.backup.restore.control.ServiceController;
import io.jitsiops.backup.restore.control.SystemdController;
import io.quarkus.runtime.Startup;

/**
 * The services a restore stops, starts and checks ({@code jitsiops.backup.restore.services.<name>}), each by its
 * {@code type}: shell commands, a systemd unit, or a Kubernetes Deployment. Read and checked at start-up: a missing
 * or contradictory key stops the start naming it. After a restart, a service is healthy when health-service says so
 * of its component (checks run since the restart, all UP); when health-service is unreachable or does not watch the
 * component, the service's own probe decides (its check command, {@code systemctl is-active}, ready replicas).
 */
@Startup
@ApplicationScoped
public class ServiceControl {
    private static final Logger LOG = Logger.getLogger(ServiceControl.class);
    static final String PREFIX = "jitsiops.backup.restore.services.";
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@\\\\-]+");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private final Map<String, BackupConfig.RestoredService> settings;
    private final Map<String, ServiceController> controllers;
    private final HealthServiceClient health;
    private final boolean useHealthService;
    private final Duration startTimeout;
    private final KubernetesClient[] kubernetes = new KubernetesClient[1];

    public ServiceControl(BackupConfig config, HealthServiceClient health) {
        this.settings = new TreeMap<>(config.restore().services());
        this.health = health;
        this.useHealthService = config.restore().useHealthService();
        this.startTimeout = config.restore().startTimeout();
        this.controllers = controllers(settings, config.restore().systemctl(), startTimeout, () -> {
            if (kubernetes[0] == null) {
                // in a pod: its ServiceAccount and namespace; elsewhere ~/.kube/config or KUBERNETES_MASTER
                kubernetes[0] = new KubernetesClientBuilder().build();
            }
            return kubernetes[0];
        });
        controllers.values().forEach(c -> LOG.infof("Restore controls %s by %s", c.name(), c.describe()));
    }

    /**
     * Checks the settings and makes a controller per service. Every problem names its key, e.g.
     * {@code jitsiops.backup.restore.services.prosody.stop: required when type is command}.
     */
    public static Map<String, ServiceController> controllers(Map<String, BackupConfig.RestoredService> services, String systemctl,
                                                             Duration timeout, Supplier<KubernetesClient> kubernetes) {
        Map<String, ServiceController> built = new LinkedHashMap<>();
        // a command or systemctl may take its time to stop a service: never less than a minute
        Duration processTimeout = timeout.compareTo(Duration.ofSeconds(60)) > 0 ? timeout : Duration.ofSeconds(60);
        for (Map.Entry<String, BackupConfig.RestoredService> e : new TreeMap<>(services).entrySet()) {
            String name = e.getKey();
            BackupConfig.RestoredService s = e.getValue();
            String key = PREFIX + name + ".";
            if (s.components().isEmpty()) {
                throw invalid(key + "components", "name at least one of " + BackupPlan.COMPONENTS_ALL);
            }
            for (String c : s.components()) {
                if (!BackupPlan.COMPONENTS_ALL.contains(c)) {
                    throw invalid(key + "components", "'" + c + "' is not one of " + BackupPlan.COMPONENTS_ALL);
                }
            }
            switch (s.type()) {
                case COMMAND -> built.put(name, new CommandController(name, required(key + "stop", s.stop()),
                        required(key + "start", s.start()), required(key + "check", s.check()), processTimeout));
                case SYSTEMD -> {
                    onlyFor(key, "command", s);
                    absent(key + "namespace", s.namespace(), "kubernetes");
                    absent(key + "deployment", s.deployment(), "kubernetes");
                    String unit = s.unit().orElse(name + ".service");
                    if (!UNIT.matcher(unit).matches() || unit.startsWith("-")) {
                        throw invalid(key + "unit", "'" + unit + "' is not a systemd unit name");
                    }
                    built.put(name, new SystemdController(name, systemctl, unit, processTimeout));
                }
                case KUBERNETES -> {
                    onlyFor(key, "command", s);
                    absent(key + "unit", s.unit(), "systemd");
                    String deployment = s.deployment().orElse(name);
                    if (!DNS_LABEL.matcher(deployment).matches()) {
                        throw invalid(key + "deployment", "'" + deployment + "' is not a Deployment name (lower-case DNS label)");
                    }
                    if (s.namespace().isPresent() && !DNS_LABEL.matcher(s.namespace().get()).matches()) {
                        throw invalid(key + "namespace", "'" + s.namespace().get() + "' is not a namespace name");
                    }
                    built.put(name, new KubernetesController(name, kubernetes.get(), s.namespace().orElse(null), deployment,
                            timeout, Duration.ofMillis(500)));
                }
            }
        }
        return built;
    }

    private static String required(String key, Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            throw invalid(key, "required when type is command");
        }
        return value.get();
    }

    private static void onlyFor(String key, String type, BackupConfig.RestoredService s) {
        absent(key + "stop", s.stop(), type);
        absent(key + "start", s.start(), type);
        absent(key + "check", s.check(), type);
    }

    private static void absent(String key, Optional<String> value, String type) {
        if (value.isPresent()) {
            throw invalid(key, "only for type " + type);
        }
    }

    private static IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(key + ": " + problem);
    }

    @PreDestroy
    void close() {
        if (kubernetes[0] != null) {
            kubernetes[0].close();
        }
    }

    /** The services whose components intersect {@code components}, in name order. */
    public List<String> affected(List<String> components) {
        return settings.entrySet().stream().filter(e -> e.getValue().components().stream().anyMatch(components::contains))
                .map(Map.Entry::getKey).toList();
    }

    public void stop(String service) throws IOException {
        controllers.get(service).stop();
    }

    public void start(String service) throws IOException {
        controllers.get(service).start();
    }

    /**
     * Waits until the service, restarted at {@code restartedAt}, is healthy, and answers who said so. health-service
     * decides when it watches the component and answers; a check of it that is not UP keeps the wait going and fails
     * it at the start timeout. Unreachable or not watching: the own probe decides. Not re-checked by health-service
     * within the timeout (its probe interval is longer): the own probe decides, and the answer says so.
     */
    public String awaitHealthy(String service, Instant restartedAt) throws IOException {
        ServiceController c = controllers.get(service);
        BackupConfig.RestoredService s = settings.get(service);
        String component = s.healthComponent().orElse(service);
        Instant deadline = Instant.now().plus(startTimeout);
        String notUp = null;
        String stale = null;
        IOException ownProbe = null;
        while (true) {
            Verdict v = verdict(component, s.healthTarget(), restartedAt);
            switch (v.kind()) {
                case UP -> {
                    return service + " healthy per health-service (" + v.detail() + ")";
                }
                case NOT_UP -> notUp = v.detail();
                case STALE -> stale = v.detail();
                default -> {
                    try {
                        c.probe();
                        return service + " healthy per its own probe (" + c.describe() + "; health-service " + v.detail() + ")";
                    } catch (IOException e) {
                        ownProbe = e;
                    }
                }
            }
            if (!Instant.now().isBefore(deadline)) {
                break;
            }
            sleep(Duration.ofMillis(500));
        }
        String after = service + " is not healthy after " + startTimeout.toSeconds() + " s: ";
        if (notUp != null) {
            throw new IOException(after + "health-service reports " + notUp);
        }
        if (stale != null) {
            try {
                c.probe();
                return service + " healthy per its own probe (" + c.describe() + "; health-service: " + stale + ")";
            } catch (IOException e) {
                ownProbe = e;
            }
        }
        throw new IOException(after + (ownProbe == null ? "no answer" : ownProbe.getMessage()));
    }

    private Verdict verdict(String component, Optional<String> target, Instant since) {
        if (!useHealthService) {
            return new Verdict(Verdict.Kind.NOT_WATCHED, "not asked (jitsiops.backup.restore.use-health-service=false)");
        }
        try {
            return HealthServiceClient.judge(health.report(), component, target, since);
        } catch (RuntimeException e) {
            return HealthServiceClient.unreachable(e);
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
