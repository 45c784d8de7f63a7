package io.jitsiops.health.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the health-service probes. Targets themselves come from the deployment description. */
@ConfigMapping(prefix = "jitsiops.health")
public interface HealthConfig {

    /** Interval of a target that does not set its own. */
    @WithDefault("60s")
    Duration defaultInterval();

    /** Timeout of a target that does not set its own. */
    @WithDefault("5s")
    Duration defaultTimeout();

    /** A check whose answer takes longer than this is DEGRADED (the seed's response_time warning). */
    @WithDefault("2s")
    Duration degradedLatency();

    /** Flap damping: a check is DOWN only after this many consecutive failures. */
    @WithDefault("3")
    int downAfterFailures();

    /** Flap damping: a DOWN check is back only after this many consecutive successes. */
    @WithDefault("2")
    int upAfterSuccesses();

    /**
     * While flap damping holds a verdict back (a check failed but not yet {@code down-after-failures} times in a row,
     * or a DOWN check answered but not yet {@code up-after-successes} times), it is checked again after this instead of
     * a whole interval later — Nagios' {@code retry_interval}: damping then costs seconds, not intervals, and an
     * outage is confirmed within one interval plus a few retries. {@code 0s} turns it off; never more than the interval.
     */
    @WithDefault("5s")
    Duration retryInterval();

    /** Results kept in PostgreSQL for the history API. */
    @WithDefault("14d")
    Duration historyRetention();

    /** Results held in memory while Kafka or PostgreSQL is away; the oldest are dropped beyond this. */
    @WithDefault("20000")
    int bufferCapacity();

    /**
     * First runs after start-up are spread at random over this window (or the check's interval, if shorter), so
     * that every check reports within seconds without all firing at the same instant.
     */
    @WithDefault("5s")
    Duration firstRunSpread();

    /** Whether the checks run by themselves; off, they run only on POST /api/health/check. */
    @WithDefault("true")
    boolean scheduleEnabled();

    Tls tls();

    Host host();

    ConferenceProbe conferenceProbe();

    /**
     * The synthetic conference probe: what a jitsi-meet client does to start a conference, without a browser. It runs
     * only when the deployment description has {@code jitsi.xmppDomain} and at least one prosody (the first one's
     * {@code /http-bind} is used), and this is enabled.
     */
    interface ConferenceProbe {
        @WithDefault("true")
        boolean enabled();

        /** How often a test conference is set up. */
        @WithDefault("60s")
        Duration interval();

        /** Bound of a whole run, clean-up included. */
        @WithDefault("30s")
        Duration timeout();

        /** Bound of each XMPP or HTTP exchange of a step (BOSH session, login, conference request, MUC join). */
        @WithDefault("5s")
        Duration stepTimeout();

        /** How long the two probe participants wait for focus's Jingle session-initiate (bridge allocated). */
        @WithDefault("10s")
        Duration bridgeTimeout();

        /** A run slower than this (all steps) is DEGRADED. */
        @WithDefault("5s")
        Duration degradedLatency();

        /** The conference MUC component (jitsi-meet {@code hosts.muc}); default {@code conference.<xmppDomain>}. */
        Optional<String> mucDomain();

        /**
         * Where the ConferenceIq goes (jitsi-meet {@code hosts.focus}); default {@code focus.<xmppDomain>}, the
         * component prosody's mod_client_proxy forwards to jicofo.
         */
        Optional<String> focusJid();

        /**
         * The bare JID the focus occupant of a room must have (jitsi-meet {@code focusUserJid}); default
         * {@code focus@auth.<xmppDomain>}.
         */
        Optional<String> focusUserJid();

        /**
         * Ask jicofo over HTTP (jitsi-meet {@code config.conferenceRequestUrl}, e.g.
         * {@code https://meet.example.com/conference-request/v1}) instead of with a ConferenceIq over XMPP.
         */
        Optional<String> conferenceRequestUrl();

        /** How the probe logs in to prosody: anonymous, password ("secure domain") or token (JWT room token). */
        @WithDefault("anonymous")
        Auth auth();

        /** The XMPP domain the probe logs in to; default {@code jitsi.xmppDomain}. */
        Optional<String> loginDomain();

        /** With auth=password: the account's user name. */
        Optional<String> username();

        /** With auth=password: the variable (or secret file) holding its password. */
        Optional<String> passwordEnv();

        /** With auth=token: jitsi-meet's {@code app_id} (the token's {@code iss}). */
        Optional<String> tokenAppId();

        /** With auth=token: the variable (or secret file) holding jitsi-meet's {@code app_secret} (HS256). */
        Optional<String> tokenSecretEnv();

        /** With auth=token: the token's {@code aud} (prosody's {@code asap_accepted_audiences}). */
        @WithDefault("jitsi")
        String tokenAudience();

        enum Auth {
            anonymous, password, token
        }
    }

    interface Tls {
        /** A certificate that expires within this many days makes its check DEGRADED. */
        @WithDefault("14")
        int expiryWarningDays();

        /** PKCS#12 trust store for targets signed by a private CA; default: the JVM's trusted CAs. */
        Optional<String> trustStore();

        /** Name of the configuration key or environment variable holding the trust store password. */
        Optional<String> trustStorePasswordEnv();
    }

    interface Host {
        /** Whether this host's own CPU, memory, disk and network are checked. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("30s")
        Duration interval();

        /** Mount points whose usage is reported. */
        @WithDefault("/")
        List<String> diskPaths();

        /** Usage percentages at which the host check is DEGRADED (the seed's critical levels). */
        @WithDefault("90")
        double cpuDegradedPercent();

        @WithDefault("95")
        double memoryDegradedPercent();

        @WithDefault("90")
        double diskDegradedPercent();
    }
}
