package io.jitsiops.alert.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the alert-service evaluates and delivers. Rules, routes and inhibitions are in the rules file. */
@ConfigMapping(prefix = "jitsiops.alert")
public interface AlertConfig {

    /**
     * The rules file (YAML). Not set: the shipped default, {@code alerting/default-rules.yaml} in this module,
     * which documents every key.
     */
    Optional<Path> rulesFile();

    /** How often the rules file is checked for changes (a changed file is reloaded without restart). */
    @WithDefault("5s")
    Duration rulesReloadInterval();

    /** How often time-driven changes are evaluated ({@code for}, {@code resolve_after}, absence) and groups flushed. */
    @WithDefault("1s")
    Duration evaluationInterval();

    /**
     * How often the notification groups are checked for a due flush: the precision of group_wait and
     * group_interval (a Vert.x timer, so it may be shorter than a second).
     */
    @WithDefault("100ms")
    Duration flushInterval();

    /**
     * How often each replica re-reads what operators changed through any replica: the silences and the
     * acknowledgements of firing alerts (an API call reaches one replica; the alerts it concerns may be held by
     * another).
     */
    @WithDefault("5s")
    Duration sharedStateRefresh();

    /** The schema migrations at start-up ({@code SchemaMigrations}). */
    Migration migration();

    interface Migration {
        /**
         * The JDBC URL the migrations connect with (there is no JDBC pool: the service's own I/O is the reactive
         * client). application.properties derives it from {@code quarkus.datasource.jdbc.url} when an operator sets
         * that key, else from {@code JITSIOPS_DB_JDBC_URL}.
         */
        String jdbcUrl();
    }

    /** Resolved alerts, their history and delivery records are kept this long. */
    @WithDefault("30d")
    Duration retention();

    /** The address people reach this service at, for links in notifications (ack links, the alert itself). */
    @WithDefault("http://127.0.0.1:18105")
    String externalUrl();

    /**
     * The Grafana that shows the jitsi-ops dashboards (k8s/base/dashboards: uids jitsi-ops-health,
     * jitsi-ops-metrics, jitsi-ops-alerts, jitsi-ops-backups), for the rules' dashboard links: templates name it
     * {@code {grafana}}. Default: Grafana's own default address on this host.
     */
    @WithDefault("http://127.0.0.1:3000")
    String grafanaUrl();

    Ack ack();

    Delivery delivery();

    Intake intake();

    /** The receivers, by name; the routing tree of the rules file names them. */
    Map<String, ReceiverConfig> receivers();

    interface Ack {
        /** HMAC-SHA256 key signing the ack links of notifications (JITSIOPS_ALERT_ACK_KEY); none: no links. */
        Optional<Secret> signingKey();

        /** How long a link in a notification can be used. */
        @WithDefault("24h")
        Duration linkValidity();

        /** How long an acknowledgement stops repeats when it does not say (it also ends when the alert resolves). */
        @WithDefault("4h")
        Duration defaultDuration();
    }

    interface Delivery {
        /** Attempts of one notification before it is recorded as undeliverable (the next group interval tries anew). */
        @WithDefault("6")
        int maxAttempts();

        /** First back-off after a failure worth retrying; it doubles up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();
    }

    interface Intake {
        /**
         * A static bearer token accepted by {@code POST /api/v2/alerts} besides OIDC: what Prometheus's
         * {@code alerting.alertmanagers[].authorization.credentials} sends (JITSIOPS_ALERT_INTAKE_TOKEN).
         */
        Optional<Secret> bearerToken();

        /**
         * Changes of posted alerts applied here but not yet written to PostgreSQL above which posts wait (up to
         * {@link #maxWait()}, then are answered 503): how far the intake may run ahead of PostgreSQL, and what a
         * crash can lose (until Prometheus's next re-post). A burst of this many new alerts is taken at once (written
         * at 25,000–29,000 a second in batches of 1000 on the benchmark machine, session 31). At least 1.
         */
        @WithDefault("100000")
        int maxUnwritten();

        /**
         * How many writers put posted alerts' changes into PostgreSQL side by side, each on its own connection and
         * with its own share of the alerts (by fingerprint, so each alert's changes stay in order). One writer waits
         * for each batch's statement before it sends the next, so one wrote new alerts at ~10,000 a second on the
         * benchmark machine; 4 took batches of 100 at 20,000–34,000 (session 30, in turn with Alertmanager; 8 gave no
         * more). Each holds one of the {@code quarkus.datasource.reactive.max-size} connections while it writes. 1 to 16.
         */
        @WithDefault("4")
        int writers();

        /**
         * How long a writer with fewer than 200 changes waiting waits for more before it writes them: single-alert
         * posts spread over {@link #writers()} otherwise go in small transactions. Single-alert posts from 8
         * connections (bench/alerts, session 38, one 10 s run each): 23.6 PostgreSQL commits per 1,000 alerts
         * without, 17.8 with 5 ms, and PostgreSQL + Kafka CPU 70.5 against 57.5 µs per alert; alerts/s within the
         * benchmark's noise. It delays only the write (and the notification pipeline, which takes an alert once
         * written; group_wait is seconds), never the answer to the post. 0 writes at once. Not negative.
         */
        @WithDefault("5ms")
        Duration writeLinger();

        /**
         * How long a post that arrives while this replica is more than {@link #maxUnwritten()} changes ahead of
         * PostgreSQL waits, its body unread, for the writers to catch up before it is answered 503. Prometheus does
         * not post a refused batch again and waits up to its Alertmanager timeout (10 s by default) for an answer, one
         * batch at a time: a wait slows it down to what is written instead of dropping its alerts. 0 refuses at once
         * (as before session 31). Not negative.
         */
        @WithDefault("5s")
        Duration maxWait();

        /**
         * How long the replica that owns some of a post's alerts may leave alerts routed to it from here unapplied
         * (uncommitted in {@code jitsi-ops.alert-intake}) before such posts are answered 503 (Prometheus posts
         * again): the routed posts' counterpart of {@link #maxUnwritten()}, with several replicas. An owner commits
         * every {@code auto.commit.interval.ms} (5 s by default), so a bound under ~10 s refuses posts for owners
         * that keep up; the default is above the consumer's session time-out (45 s) and the adoption that follows,
         * so that a replica that dies (its partitions wait for the group to notice) alone refuses nothing. Positive.
         */
        @WithDefault("60s")
        Duration maxOwnerLag();

        /**
         * How many alerts of one alertname may fire at once among the posted alerts a replica holds; a new one beyond
         * it is dropped (counted in {@code jitsiops_alert_intake_alerts_limited_total} and logged with its alertname)
         * until one of them resolves, while those already firing are still re-posted and resolved. Alertmanager's
         * {@code --alerts.per-alertname-limit}, with the same default, 0: no limit. Per replica: each holds the alerts
         * of its own partitions, so with N replicas an alertname may fire up to about N times this. Not negative.
         */
        @WithDefault("0")
        int perAlertnameLimit();
    }

    interface ReceiverConfig {
        /** slack, teams, telegram, matrix, email, webhook or pagerduty. */
        String type();

        /**
         * Slack incoming-webhook URL, Teams Workflows webhook URL or webhook URL: a secret (the URL is the credential).
         * For pagerduty, the Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue); for telegram,
         * the Bot API's base (default https://api.telegram.org); for matrix, the homeserver's client API base
         * (e.g. https://matrix.example.org).
         */
        Optional<Secret> url();

        /** PagerDuty: the integration's Events API v2 routing key (a secret: it opens incidents on that service). */
        Optional<Secret> routingKey();

        /** Telegram: the bot's token (a secret: it lets anyone post as the bot). */
        Optional<Secret> botToken();

        /** Telegram: the chat (group or channel) the bot posts to, e.g. -1001234567890. */
        Optional<String> chatId();

        /** Matrix: the bot user's access token (a secret: it lets anyone act as the bot). */
        Optional<Secret> accessToken();

        /** Matrix: the room's internal id, {@code !opaque:server} (Element: Room settings → Advanced), joined by the bot. */
        Optional<String> roomId();

        /** Email recipients. */
        Optional<List<String>> to();

        /**
         * Notifications per second; default 1 for Slack and Telegram (their limit per channel/chat) and Matrix (homeservers
         * rate-limit a user's messages), unlimited otherwise.
         */
        Optional<Double> ratePerSecond();

        /**
         * Notifications on their way at the same time; default 1. A slot is freed only when what the notification
         * told is in the notification log, so this is also the most notifications of this receiver a crash (kill -9)
         * can repeat: raise it for throughput (the benchmark's webhook sink: 64) at that price.
         */
        Optional<Integer> maxInFlight();

        /** When more than this many notifications wait for the rate limit, they go as one digest. */
        @WithDefault("5")
        int digestAfter();

        /** Whether resolved alerts are notified. */
        @WithDefault("true")
        boolean sendResolved();

        @WithDefault("10s")
        Duration timeout();
    }
}
