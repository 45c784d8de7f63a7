package io.jitsiops.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole local stack: the real servers, the simulator (unless a real deployment is described) and the
 * five services, with fixed ports from a base, state in one folder, and a PID file per process.
 */
public final class LocalStack {
    /** The simulated conference in which nobody sends video (the simulator's jitsisim.audio-only-rooms). */
    public static final String AUDIO_ONLY_ROOM = "room-jvb-1-2";
    public static final String S3_ACCESS_KEY = "jitsi-ops-local";
    public static final String S3_SECRET_KEY = "jitsi-ops-local-secret-key";
    public static final List<String> SERVICES = List.of("health-service", "metrics-service", "log-service",
            "backup-service", "alert-service");

    private final Path state;
    private final int base;
    private final Path externalDeployment;

    public final PostgresServer postgres;
    public final KafkaServer kafka;
    public final S3ProxyServer s3;
    public final SmtpServer smtp;
    public final QuarkusAppServer simulator;
    public final List<QuarkusAppServer> services = new ArrayList<>();

    /**
     * @param externalDeployment a user's deployment description; null to play the deployment with the simulator
     */
    public LocalStack(ProjectLayout layout, Path state, int base, Path externalDeployment) {
        this.state = state;
        this.base = base;
        this.externalDeployment = externalDeployment;
        this.postgres = new PostgresServer(postgresDir(state), base + 432, "jitsiops", true);
        this.kafka = new KafkaServer(layout, state.resolve("kafka"), base + 92, base + 93);
        this.s3 = new S3ProxyServer(layout, state.resolve("s3proxy"), base + 900, S3_ACCESS_KEY, S3_SECRET_KEY);
        this.smtp = new SmtpServer(layout, state.resolve("greenmail"), base + 25, base + 143);
        this.simulator = new QuarkusAppServer(layout, "jitsi-sim", "deploy/jitsi-sim", state.resolve("jitsi-sim"), base + 80,
                Map.of("JITSISIM_LOG_DIR", simulatorLogs().toString(),
                        "JITSISIM_BASE_URL", "http://127.0.0.1:" + (base + 80),
                        // the bridges' /colibri/stats is off by default, as in JVB; the local stack turns it on
                        "JITSISIM_REST_API_BRIDGES", "jvb-1,jvb-2",
                        // the own listeners on fixed ports: jvb-1, jvb-2, jicofo, the web front (base+81..84)
                        "JITSISIM_OWN_PORT_BASE", String.valueOf(base + 81),
                        // the status page (health-service's /status/) signs in through the simulated Janssen: its exact
                        // URL is the public client's registered redirect URI (and so the origin allowed on /token)
                        "JITSISIM_JANSSEN_STATUS_PAGE_REDIRECT_URIS", "http://127.0.0.1:" + (base + 101) + "/status/",
                        // one call in which nobody sends video (cameras off), as real deployments have: the stack
                        // shows it as such from the bridge's /debug to the status page
                        "JITSISIM_AUDIO_ONLY_ROOMS", AUDIO_ONLY_ROOM));
        for (int i = 0; i < SERVICES.size(); i++) {
            String service = SERVICES.get(i);
            services.add(new QuarkusAppServer(layout, service, service, state.resolve(service), base + 101 + i,
                    serviceEnvironment()));
        }
    }

    public boolean simulated() {
        return externalDeployment == null;
    }

    public Path deploymentFile() {
        return simulated() ? state.resolve("deployment.yaml") : externalDeployment;
    }

    Path simulatorLogs() {
        return state.resolve("jitsi-sim").resolve("logs");
    }

    /** Infrastructure first, then what uses it; stopped in the reverse order. */
    public List<LocalServer> all() {
        List<LocalServer> all = new ArrayList<>(List.of(postgres, kafka, s3, smtp));
        if (simulated()) {
            all.add(simulator);
        }
        all.addAll(services);
        return all;
    }

    public Path pidFile(LocalServer server) {
        return state.resolve("pids").resolve(server.name() + ".pid");
    }

    public Optional<ProcessHandle> running(LocalServer server) {
        return LocalServer.fromPidFile(pidFile(server));
    }

    /**
     * With {@code JITSIOPS_STACK_BACKUP_SCHEDULE_IN_MINUTES=N} (the stack test sets it) the description gets a daily
     * schedule {@value #SOON_SCHEDULE} due N to N+1 minutes from now (UTC), so that a scheduled backup really comes due
     * while the stack runs; otherwise none (backup-service's defaults).
     */
    private static List<DeploymentFiles.Schedule> scheduleSoon() {
        String minutes = System.getenv("JITSIOPS_STACK_BACKUP_SCHEDULE_IN_MINUTES");
        if (minutes == null || minutes.isBlank()) {
            return List.of();
        }
        java.time.ZonedDateTime due = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                .plusMinutes(Long.parseLong(minutes.trim())).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusMinutes(1);
        return List.of(new DeploymentFiles.Schedule(SOON_SCHEDULE,
                String.format("%02d:%02d", due.getHour(), due.getMinute()), 2));
    }

    /** The name of the schedule {@link #scheduleSoon()} writes. */
    public static final String SOON_SCHEDULE = "stack-soon";

    public void writeDeploymentFile() throws IOException {
        if (simulated()) {
            // jvb-1 is watched on its own port, as a real bridge's private REST server (8080) is: when its process is
            // gone (the simulator's REFUSED fault) the services' connections are refused. jvb-2 stays under the
            // simulator's /jvb/jvb-2 paths.
            DeploymentFiles.writeForSimulator(deploymentFile(), simulator.url(), Map.of("jvb-1", jvb1OwnUrl()),
                    simulatorLogs(), state, postgres.port(), s3.url(), scheduleSoon());
            // The description sends backups to this bucket; like a real S3 bucket, it is made before it is used
            // (backup-service never creates buckets: that is the storage owner's decision).
            s3.createBucket(DeploymentFiles.BACKUP_BUCKET);
            // ... and so are the databases it names (empty here: the simulated Jitsi keeps no data in them).
            for (String database : DeploymentFiles.JITSI_DATABASES) {
                postgres.createDatabaseIfMissing(database);
            }
        }
    }

    /** jvb-1's own listener in the simulator (first of {@code JITSISIM_OWN_PORT_BASE}'s ports). */
    public String jvb1OwnUrl() {
        return "http://127.0.0.1:" + (base + 81);
    }

    private Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JITSIOPS_DEPLOYMENT_FILE", deploymentFile().toString());
        env.put("JITSIOPS_KAFKA_BOOTSTRAP", "127.0.0.1:" + (base + 92));
        env.put("JITSIOPS_DB_REACTIVE_URL", "postgresql://127.0.0.1:" + (base + 432) + "/jitsiops");
        env.put("JITSIOPS_DB_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + (base + 432) + "/jitsiops");
        env.put("JITSIOPS_DB_USER", PostgresServer.USER);
        env.put("JITSIOPS_S3_ACCESS_KEY", S3_ACCESS_KEY);
        env.put("JITSIOPS_S3_SECRET_KEY", S3_SECRET_KEY);
        env.put("JITSIOPS_SMTP_HOST", "127.0.0.1");
        env.put("JITSIOPS_SMTP_PORT", String.valueOf(base + 25));
        // Where health-service's status page finds the other services (ports as in the README's table).
        env.put("JITSIOPS_STATUS_PAGE_METRICS_SERVICE", "http://127.0.0.1:" + (base + 102));
        env.put("JITSIOPS_STATUS_PAGE_LOG_SERVICE", "http://127.0.0.1:" + (base + 103));
        env.put("JITSIOPS_STATUS_PAGE_BACKUP_SERVICE", "http://127.0.0.1:" + (base + 104));
        env.put("JITSIOPS_STATUS_PAGE_ALERT_SERVICE", "http://127.0.0.1:" + (base + 105));
        // backup-service asks health-service whether a service restarted by a restore is healthy (its default is
        // the default base's port, wrong on any other base: it fell back to its own probe).
        env.put("JITSIOPS_HEALTH_SERVICE_URL", "http://127.0.0.1:" + (base + 101));
        if (simulated()) {
            env.put(DeploymentFiles.CLIENT_SECRET_ENV, DeploymentFiles.SIMULATOR_CLIENT_SECRET);
            env.put("JITSIOPS_OIDC_ISSUER", "http://127.0.0.1:" + (base + 80)); // the simulated Janssen's issuer: the bare host
            // The simulator's /prosody answers BOSH health requests but is no XMPP server: the synthetic conference
            // probe needs a real prosody (with the simulator's focus connected to it), so it is off in this stack.
            env.put("JITSIOPS_CONFERENCE_PROBE_ENABLED", "false");
        }
        return env;
    }

    /**
     * PostgreSQL runs as the postgres user, who must be able to reach its folder. When the project lies
     * somewhere that user cannot enter (a home folder with mode 700), the cluster lives under /var/tmp.
     */
    private static Path postgresDir(Path state) {
        Path wanted = state.resolve("postgres");
        if (!LocalServer.runningAsRoot() || traversableByOthers(state)) {
            return wanted;
        }
        return Path.of("/var/tmp/jitsi-ops", Integer.toHexString(state.toAbsolutePath().toString().hashCode()), "postgres");
    }

    private static boolean traversableByOthers(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) {
                continue;
            }
            try {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
