package io.jitsiops.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DeploymentDescriptionsTest {
    private static final Path EXAMPLE = Path.of("../deploy/local/deployment.example.yaml");

    @Test
    void readsTheDocumentedExampleWithSeveralBridgesAndShards() {
        DeploymentDescription d = DeploymentDescriptions.load(EXAMPLE);
        assertThat(d.name()).isEqualTo("meet-prod-eu");
        assertThat(d.requireJitsi().jvb()).extracting(DeploymentDescription.Target::name).containsExactly("jvb-1", "jvb-2");
        assertThat(d.requireJitsi().jicofo()).extracting(DeploymentDescription.Target::shard).containsExactly("shard-1", "shard-2");
        assertThat(d.requireJanssen()).singleElement().satisfies(j -> {
            assertThat(j.clientSecretEnv()).isEqualTo("JITSIOPS_JANSSEN_CLIENT_SECRET");
            assertThat(j.targetName()).isEqualTo("janssen");
        });
        assertThat(d.logs()).hasSize(4);
        assertThat(d.requireBackup().databases().names()).containsExactly("jicofo", "prosody");
    }

    @Test
    void namesTheKeyOfAnUnknownKeySoThatATypoIsNotSilentlyIgnored() {
        assertError("jitsi:\n  jvb:\n    - name: a\n      url: http://x\n      intervall: 5s\n", "jitsi.jvb[0].intervall", "unknown key 'intervall'");
    }

    @Test
    void readsPerTargetMetricsAndQualityIntervalsAndNamesABadOne() {
        DeploymentDescription.Target t = DeploymentDescriptions.parse(
                "jitsi:\n  jvb:\n    - {name: a, url: 'http://x', metricsInterval: 30s, qualityInterval: 2s}\n").requireJitsi().jvb().get(0);
        assertThat(t.metricsInterval()).isEqualTo("30s");
        assertThat(t.qualityInterval()).isEqualTo("2s");
        assertError("jitsi:\n  jvb:\n    - {name: a, url: 'http://x', metricsInterval: often}\n", "jitsi.jvb[0].metricsInterval", "not a duration");
    }

    @Test
    void readsTheXmppWebsocketPathAndNamesABadOne() {
        assertThat(DeploymentDescriptions.parse("jitsi:\n  xmppDomain: meet.example.com\n  websocketPath: /xmpp-websocket\n")
                .jitsi().websocketPath()).isEqualTo("/xmpp-websocket");
        assertError("jitsi:\n  xmppDomain: meet.example.com\n  websocketPath: xmpp-websocket\n", "jitsi.websocketPath",
                "must start with /");
        assertError("jitsi:\n  websocketPath: /xmpp-websocket\n", "jitsi.xmppDomain", "is required with jitsi.websocketPath");
    }

    @Test
    void namesTheKeyOfAnInvalidUrl() {
        assertError("jitsi:\n  jvb:\n    - name: a\n      url: http://x:8080\n    - name: b\n      url: not-a-url\n",
                "jitsi.jvb[1].url", "absolute http(s) URL");
    }

    @Test
    void rejectsTwoTargetsWithOneNameInOneComponent() {
        assertError("jitsi:\n  jvb:\n    - {name: a, url: 'http://x'}\n    - {name: a, url: 'http://y'}\n",
                "jitsi.jvb[1].name", "used twice");
    }

    @Test
    void rejectsABadDurationAnUnknownLogFormatAndAMissingIssuer() {
        assertError("jitsi:\n  web:\n    - {name: w, url: 'https://m', interval: soon}\n", "jitsi.web[0].interval", "not a duration");
        assertError("logs:\n  - {component: jvb, path: /x, format: syslog}\n", "logs[0].format", "invalid value 'syslog'");
        assertError("logs:\n  - {component: jvb, path: /x, format: jvb, timeZone: Mars/Olympus}\n", "logs[0].timeZone", "unknown time zone");
        assertError("janssen:\n  clientId: c\n  clientSecretEnv: S\n", "janssen.issuer", "is required");
    }

    @Test
    void backupSchedulesDefaultToTheDesignNotesDailyWeeklyAndMonthlyInUtc() {
        DeploymentDescription.Backup b = DeploymentDescriptions.parse("backup:\n  localDir: /var/backups/jitsi\n").requireBackup();
        assertThat(b.timeZone()).isEqualTo("UTC");
        assertThat(b.schedules()).extracting(DeploymentDescription.BackupSchedule::name).containsExactly("daily", "weekly", "monthly");
        assertThat(b.schedules()).extracting(DeploymentDescription.BackupSchedule::retention).containsExactly(7, 4, 3);
        assertThat(b.schedules().get(1).day()).isEqualTo("Sunday");
        assertThat(b.schedules().get(0).components()).containsExactly("configurations", "certificates", "databases");
    }

    @Test
    void namesTheKeyOfABadBackupScheduleTimeZoneOrEncryptionKey() {
        String base = "backup:\n  localDir: /b\n";
        assertError(base + "  schedules:\n    - {name: daily, time: '25:00', retention: 7}\n", "backup.schedules[0].time", "HH:mm");
        assertError(base + "  schedules:\n    - {name: weekly, time: '03:00', day: Sundy, retention: 4}\n", "backup.schedules[0].day", "weekday");
        assertError(base + "  schedules:\n    - {name: monthly, time: '04:00', day: '31', retention: 3}\n", "backup.schedules[0].day", "1..28");
        assertError(base + "  schedules:\n    - {name: daily, time: '02:00', retention: 0}\n", "backup.schedules[0].retention", "at least 1");
        assertError(base + "  schedules:\n    - {name: daily, time: '02:00', retention: 7, components: [logs]}\n",
                "backup.schedules[0].components[0]", "one of");
        assertError(base + "  timeZone: Mars/Olympus\n", "backup.timeZone", "unknown time zone");
        assertError(base + "  encryption: {keyEnv: K, keyFile: /k}\n", "backup.encryption", "exactly one of keyEnv or keyFile");
        assertError(base + "  encryption: {key: c2VjcmV0}\n", "backup.encryption.key", "unknown key 'key'");
    }

    @Test
    void janssenIsOneMapNamedJanssenOrAListOfNamedServersEachValidated() {
        DeploymentDescription one = DeploymentDescriptions.parse("janssen:\n  issuer: https://id.example.org\n  clientId: c\n  clientSecretEnv: S\n");
        assertThat(one.requireJanssen()).extracting(DeploymentDescription.Janssen::targetName).containsExactly("janssen");
        DeploymentDescription two = DeploymentDescriptions.parse("janssen:\n"
                + "  - {name: id-eu, issuer: 'https://id-eu.example.org', clientId: c, clientSecretEnv: S, allowedHosts: ['cdn.example.org:8443']}\n"
                + "  - {name: id-us, issuer: 'https://id-us.example.org', clientId: c, clientSecretEnv: S, roomTokenSecretEnv: APP_SECRET}\n");
        assertThat(two.requireJanssen()).extracting(DeploymentDescription.Janssen::targetName).containsExactly("id-eu", "id-us");
        assertThat(two.requireJanssen().get(0).allowedHosts()).containsExactly("cdn.example.org:8443");
        assertError("janssen:\n  - {name: a, issuer: 'https://a', clientId: c, clientSecretEnv: S}\n  - {issuer: 'https://b', clientId: c, clientSecretEnv: S}\n",
                "janssen[1].name", "is required");
        assertError("janssen:\n  - {name: a, issuer: 'https://a', clientId: c, clientSecretEnv: S}\n  - {name: a, issuer: 'https://b', clientId: c, clientSecretEnv: S}\n",
                "janssen[1].name", "used twice");
        assertError("janssen:\n  issuer: http://id.example.org\n  clientId: c\n  clientSecretEnv: S\n", "janssen.issuer", "must be https");
        assertError("janssen:\n  issuer: https://id.example.org\n  clientId: c\n  clientSecretEnv: S\n  allowedHosts: ['https://x/']\n",
                "janssen.allowedHosts[0]", "host or host:port");
        assertThat(DeploymentDescriptions.parse("janssen:\n  issuer: http://127.0.0.1:18080\n  clientId: c\n  clientSecretEnv: S\n")
                .requireJanssen()).hasSize(1);
    }

    @Test
    void aServiceThatNeedsASectionFailsNamingIt() {
        DeploymentDescription d = DeploymentDescriptions.parse("name: x\n");
        assertThatThrownBy(d::requireBackup).hasMessage("backup: is required by this service");
    }

    @Test
    void parsesTheShortDurationsOperatorsWrite() {
        assertThat(DurationParser.parse("500ms").toMillis()).isEqualTo(500);
        assertThat(DurationParser.parse("60s").toSeconds()).isEqualTo(60);
        assertThat(DurationParser.parse("7d").toDays()).isEqualTo(7);
    }

    private static void assertError(String yaml, String key, String problem) {
        assertThatThrownBy(() -> DeploymentDescriptions.parse(yaml))
                .isInstanceOf(InvalidDeploymentException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(problem);
    }
}
