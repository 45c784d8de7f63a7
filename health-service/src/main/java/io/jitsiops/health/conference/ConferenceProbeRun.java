package io.jitsiops.health.conference;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.bosh.BOSHConfiguration;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smackx.muc.MultiUserChatException;
import org.jitsi.xmpp.extensions.jingle.ContentPacketExtension;
import org.jitsi.xmpp.extensions.jingle.DtlsFingerprintPacketExtension;
import org.jitsi.xmpp.extensions.jingle.IceUdpTransportPacketExtension;
import org.jitsi.xmpp.extensions.jingle.JingleIQ;
import org.jitsi.xmpp.extensions.jitsimeet.ConferenceIq;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

import io.jitsiops.health.config.HealthConfig.ConferenceProbe.Auth;
import io.jitsiops.health.config.Secrets;
import io.jitsiops.health.probe.HttpProber;

/**
 * One synthetic conference, step by step, as jitsi-meet sets one up (jitsi/jicofo 7ebb13d,
 * {@code doc/conference-request.md}, {@code xmpp/ConferenceIqHandler.kt}, {@code ktor/Application.kt}; jitsi-meet's
 * {@code Moderator}): DNS (and TLS for https) of prosody's BOSH URL; a BOSH session; login; the conference request to
 * focus (a ConferenceIq, or a POST to {@code conference-request/v1}) answered {@code ready}; the MUC join; focus
 * present in the room; then a second participant joins and both wait for focus's Jingle session-initiate with the
 * bridge's ICE transport; finally both leave and close their sessions, whatever happened before.
 * <p>
 * Why two participants: jicofo starts a conference (selects a bridge and allocates colibri endpoints) only once
 * {@code jicofo.conference.min-participants} (default 2) participants are in the room; a lone participant never gets
 * a session-initiate. With no operational bridge jicofo logs "Can not invite participant, no bridge available." and
 * sends nothing, so "bridge allocated" is exactly "a session-initiate with ICE candidates and a DTLS fingerprint
 * arrived", and its absence, with focus present and answering, is "no bridge available".
 * <p>
 * Blocking (Smack); runs on a worker thread. Each exchange is bounded by {@code step-timeout}, the wait for the
 * session-initiate by {@code bridge-timeout}. Room names are {@value #ROOM_PREFIX} + a random UUID: unique per run,
 * and outside what jitsi-meet makes of a room name typed by a user in practice (its leading "__" mirrors jicofo's own
 * {@code __jicofo-health-check-} rooms); the probe never joins a room without this prefix.
 */
final class ConferenceProbeRun {
    /** The reserved prefix of probe rooms. */
    static final String ROOM_PREFIX = "__jitsi-ops-probe-";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run found: each completed step's latency, and the failure if one step failed. */
    record Report(Map<ProbeStep, Long> latencies, Optional<StepFailure> failure, Optional<String> cleanupProblem,
                  int candidates) {
        long totalMs() {
            return latencies.entrySet().stream().filter(e -> e.getKey() != ProbeStep.CLEANUP)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private final ConferenceProbeSettings settings;
    private final HttpProber http;
    private final SSLContext ssl;
    private final Map<ProbeStep, Long> latencies = new EnumMap<>(ProbeStep.class);
    private final List<String> secrets = new ArrayList<>();

    ConferenceProbeRun(ConferenceProbeSettings settings, HttpProber http, SSLContext ssl) {
        this.settings = settings;
        this.http = http;
        this.ssl = ssl;
    }

    Report execute() {
        String roomName = ROOM_PREFIX + UUID.randomUUID();
        List<ProbeParticipant> participants = new ArrayList<>();
        StepFailure failure = null;
        int candidates = 0;
        try {
            timed(ProbeStep.DNS_TLS, this::resolveAndHandshake);
            BOSHConfiguration config = boshConfiguration(roomName);
            ProbeParticipant first = new ProbeParticipant(config, settings.stepTimeout());
            participants.add(first);
            timed(ProbeStep.PROSODY_SESSION, first::connect);
            timed(ProbeStep.AUTH, first::login);
            EntityBareJid room = ProbeParticipant.bareJid(roomName + "@" + settings.mucDomain());
            timed(ProbeStep.CONFERENCE_REQUEST, () -> requestConference(first, room));
            timed(ProbeStep.MUC_JOIN, () -> first.join(room, "probe-1"));
            timed(ProbeStep.FOCUS_PRESENT, () -> {
                if (first.awaitFocus(ProbeParticipant.bareJid(settings.focusUserJid()), settings.stepTimeout()).isEmpty()) {
                    throw new StepFailure(ProbeStep.FOCUS_PRESENT, "focus (" + settings.focusUserJid()
                            + ") is not in the room although the conference request was answered", false);
                }
            });
            candidates = timed(ProbeStep.BRIDGE_ALLOCATED, () -> {
                ProbeParticipant second = new ProbeParticipant(config, settings.stepTimeout());
                participants.add(second);
                second.connect();
                second.login();
                second.join(room, "probe-2");
                long deadline = System.nanoTime() + settings.bridgeTimeout().toNanos();
                int found = Integer.MAX_VALUE;
                for (ProbeParticipant p : participants) {
                    Optional<JingleIQ> initiate = p.awaitSessionInitiate(Duration.ofNanos(deadline - System.nanoTime()));
                    if (initiate.isEmpty()) {
                        throw new StepFailure(ProbeStep.BRIDGE_ALLOCATED, "no bridge available: focus answered and is in "
                                + "the room, but sent no Jingle session-initiate within " + settings.bridgeTimeout().toMillis()
                                + " ms of the second participant joining (jicofo logs \"Can not invite participant, no "
                                + "bridge available.\" when no bridge is operational)", false);
                    }
                    found = Math.min(found, transportCandidates(initiate.get()));
                }
                return found;
            });
        } catch (StepFailure f) {
            failure = f;
        }
        Optional<String> cleanupProblem = cleanUp(participants);
        return new Report(Map.copyOf(latencies), Optional.ofNullable(failure), cleanupProblem, candidates);
    }

    private Optional<String> cleanUp(List<ProbeParticipant> participants) {
        long started = System.nanoTime();
        String problem = null;
        for (ProbeParticipant p : participants) {
            try {
                p.close();
            } catch (Exception e) {
                problem = redact(describe(e));
            }
        }
        latencies.put(ProbeStep.CLEANUP, (System.nanoTime() - started) / 1_000_000);
        return Optional.ofNullable(problem);
    }

    /** The ICE candidates of the session-initiate's transport; fails the step if it carries no usable transport. */
    private static int transportCandidates(JingleIQ initiate) throws StepFailure {
        int candidates = 0;
        boolean fingerprint = false;
        for (ContentPacketExtension content : initiate.getContentList()) {
            IceUdpTransportPacketExtension transport = content.getFirstChildOfType(IceUdpTransportPacketExtension.class);
            if (transport != null) {
                candidates = Math.max(candidates, transport.getCandidateList().size());
                fingerprint |= transport.getFirstChildOfType(DtlsFingerprintPacketExtension.class) != null;
            }
        }
        if (candidates == 0 || !fingerprint) {
            throw new StepFailure(ProbeStep.BRIDGE_ALLOCATED, "focus's session-initiate carries no bridge transport (ICE "
                    + "candidates: " + candidates + ", DTLS fingerprint: " + (fingerprint ? "yes" : "no") + ")", false);
        }
        return candidates;
    }

    private void requestConference(ProbeParticipant first, EntityBareJid room) throws Exception {
        if (settings.conferenceRequestUrl().isPresent()) {
            requestOverHttp(settings.conferenceRequestUrl().get(), room);
            return;
        }
        ConferenceIq answer = first.requestConference(JidCreate.from(settings.focusJid()), room);
        if (!Boolean.TRUE.equals(answer.isReady())) {
            throw new StepFailure(ProbeStep.CONFERENCE_REQUEST, "jicofo answered the conference request with ready="
                    + answer.isReady() + " (the conference was not started)", true);
        }
    }

    /** jicofo's HTTP form: POST the ConferenceRequest JSON; 200 with ready=true is the answer wanted. */
    private void requestOverHttp(URI url, EntityBareJid room) throws StepFailure {
        String body = JSON.createObjectNode().put("room", room.toString()).set("properties",
                JSON.createObjectNode().put("rtcstatsEnabled", "false")).toString();
        HttpProber.Answer answer;
        try {
            answer = http.post(url, settings.stepTimeout(), tokenHeader(room), "application/json", body).await()
                    .atMost(settings.stepTimeout().plusMillis(500));
        } catch (RuntimeException e) {
            throw new StepFailure(ProbeStep.CONFERENCE_REQUEST, "focus not answering: "
                    + HttpProber.describe(e, settings.stepTimeout()) + " from " + url, HttpProber.isTransient(e));
        }
        if (answer.status() == 403) {
            throw new StepFailure(ProbeStep.CONFERENCE_REQUEST, "auth/token rejected: jicofo refused the conference "
                    + "request (HTTP 403, not-authorized)", false);
        }
        if (answer.status() >= 500) {
            throw new StepFailure(ProbeStep.CONFERENCE_REQUEST, "focus not answering: HTTP " + answer.status()
                    + " from " + url, true);
        }
        if (answer.status() != 200) {
            throw new StepFailure(ProbeStep.CONFERENCE_REQUEST, "jicofo refused the conference request: HTTP "
                    + answer.status() + " " + firstLine(answer.body()), false);
        }
        JsonNode json;
        try {
            json = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new StepFailure(ProbeStep.CONFERENCE_REQUEST, "the conference-request answer is not JSON: "
                    + firstLine(answer.body()), false);
        }
        if (!json.path("ready").asBoolean(false)) {
            throw new StepFailure(ProbeStep.CONFERENCE_REQUEST, "jicofo answered the conference request with ready="
                    + json.path("ready").asText("absent") + " (the conference was not started)", true);
        }
    }

    private Map<String, String> tokenHeader(EntityBareJid room) throws StepFailure {
        if (settings.auth() != Auth.token) {
            return Map.of();
        }
        return Map.of("Authorization", "Bearer " + token(room.getLocalpart().toString()));
    }

    private BOSHConfiguration boshConfiguration(String roomName) throws StepFailure {
        URI uri = settings.boshUri();
        boolean https = "https".equals(uri.getScheme());
        String file = uri.getRawPath();
        BOSHConfiguration.Builder b = BOSHConfiguration.builder();
        try {
            b.setXmppDomain(settings.loginDomain());
        } catch (Exception e) {
            throw new StepFailure(ProbeStep.PROSODY_SESSION, "not an XMPP domain: " + settings.loginDomain(), false);
        }
        // As a DNS name even for an IP literal: Smack 4.4.8's BOSH URL is built from getHostString(), which for a host
        // given as an IP address is InetAddress.toString() ("/127.0.0.1"), an invalid URL.
        b.setHost(org.minidns.dnsname.DnsName.from(uri.getHost()))
                .setPort(uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80).setUseHttps(https)
                // BOSH has no STARTTLS: its TLS is the https of the URL (checked in step dns-tls), as for jitsi-meet
                .setSecurityMode(org.jivesoftware.smack.ConnectionConfiguration.SecurityMode.disabled);
        switch (settings.auth()) {
            case anonymous -> b.performSaslAnonymousAuthentication();
            case token -> {
                // jitsi-meet passes the token in the BOSH URL; prosody's mod_auth_token checks it during ANONYMOUS SASL
                String token = token(roomName);
                file = file + "?room=" + roomName + "&token=" + token;
                b.performSaslAnonymousAuthentication();
            }
            case password -> {
                String password = Secrets.byName(settings.passwordEnv().orElseThrow()).orElseThrow(() -> new StepFailure(
                        ProbeStep.AUTH, "no password for the probe account: "
                        + Secrets.howToSet(settings.passwordEnv().get()), false));
                secrets.add(password);
                b.setUsernameAndPassword(settings.username().orElseThrow(), password);
            }
        }
        b.setFile(file);
        return b.build();
    }

    private String token(String roomName) throws StepFailure {
        String secretName = settings.tokenSecretEnv().orElseThrow();
        String secret = Secrets.byName(secretName).orElseThrow(() -> new StepFailure(ProbeStep.AUTH,
                "no app secret to mint the probe's room token: " + Secrets.howToSet(secretName), false));
        secrets.add(secret);
        String token = RoomTokens.mint(settings.tokenAppId().orElseThrow(), secret, settings.tokenAudience(),
                settings.xmppDomain(), roomName);
        secrets.add(token);
        return token;
    }

    private void resolveAndHandshake() throws StepFailure {
        URI uri = settings.boshUri();
        InetAddress address;
        try {
            address = InetAddress.getByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new StepFailure(ProbeStep.DNS_TLS, "DNS: cannot resolve " + uri.getHost(), false);
        }
        if (!"https".equals(uri.getScheme())) {
            return;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 443;
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(address, port), (int) settings.stepTimeout().toMillis());
            socket.setSoTimeout((int) settings.stepTimeout().toMillis());
            var params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setServerNames(List.of(new javax.net.ssl.SNIHostName(uri.getHost())));
            socket.setSSLParameters(params);
            socket.startHandshake();
        } catch (javax.net.ssl.SSLException e) {
            throw new StepFailure(ProbeStep.DNS_TLS, "TLS: " + e.getMessage(), false);
        } catch (IOException e) {
            throw new StepFailure(ProbeStep.DNS_TLS, "TLS: cannot connect to " + uri.getHost() + ":" + port + ": "
                    + e.getMessage(), true);
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    @FunctionalInterface
    private interface VoidStep {
        void run() throws Exception;
    }

    private void timed(ProbeStep step, VoidStep action) throws StepFailure {
        timed(step, () -> {
            action.run();
            return null;
        });
    }

    private <T> T timed(ProbeStep step, Step<T> action) throws StepFailure {
        long started = System.nanoTime();
        try {
            T result = action.run();
            latencies.put(step, (System.nanoTime() - started) / 1_000_000);
            return result;
        } catch (StepFailure f) {
            throw f.step() == step ? f : new StepFailure(step, f.getMessage(), f.retryable());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure(step, "interrupted", false);
        } catch (Exception e) {
            throw classify(step, e);
        }
    }

    /** Names what went wrong in the words of the step, without any secret. */
    private StepFailure classify(ProbeStep step, Exception e) {
        String why = redact(describe(e));
        if (e instanceof SASLErrorException sasl) {
            return new StepFailure(ProbeStep.AUTH, "auth/token rejected: prosody refused the login ("
                    + sasl.getMechanism() + "): " + sasl.getSASLFailure().getSASLErrorString(), false);
        }
        if (e instanceof XMPPException.XMPPErrorException error) {
            String condition = error.getStanzaError().getCondition().toString();
            if (step == ProbeStep.CONFERENCE_REQUEST) {
                if ("not-authorized".equals(condition) || "forbidden".equals(condition)) {
                    return new StepFailure(step, "auth/token rejected: jicofo refused the conference request ("
                            + condition + textOf(error) + ")", false);
                }
                return new StepFailure(step, "focus not answering: " + condition + textOf(error) + " for "
                        + settings.focusJid() + " (jicofo not connected to prosody, or focus JID wrong)", true);
            }
            return new StepFailure(step, step.wireName() + " refused: " + condition + textOf(error), false);
        }
        if (e instanceof SmackException.NoResponseException) {
            if (step == ProbeStep.CONFERENCE_REQUEST) {
                return new StepFailure(step, "focus not answering: no answer from " + settings.focusJid() + " within "
                        + settings.stepTimeout().toMillis() + " ms", true);
            }
            return new StepFailure(step, "no answer within " + settings.stepTimeout().toMillis() + " ms", true);
        }
        if (e instanceof MultiUserChatException.NotAMucServiceException) {
            return new StepFailure(step, settings.mucDomain() + " is not a MUC service (check "
                    + ConferenceProbeSettings.PREFIX + "muc-domain, jitsi-meet hosts.muc)", false);
        }
        if (step == ProbeStep.PROSODY_SESSION) {
            return new StepFailure(step, "no BOSH session at " + settings.boshUri() + ": " + why, true);
        }
        return new StepFailure(step, why, false);
    }

    private static String textOf(XMPPException.XMPPErrorException error) {
        String text = error.getStanzaError().getDescriptiveText();
        return text == null || text.isBlank() ? "" : ", \"" + text + "\"";
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += ": " + root.getMessage();
        }
        return message.length() > 400 ? message.substring(0, 400) + "…" : message;
    }

    /** Removes the token, password and app secret from a message (Smack and jbosh may quote the BOSH URL). */
    String redact(String message) {
        String m = message;
        for (String s : secrets) {
            m = m.replace(s, "***");
        }
        return m;
    }

    private static String firstLine(String body) {
        String line = body == null ? "" : body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line.toLowerCase(Locale.ROOT).contains("<html")
                ? "(an HTML page)" : line;
    }
}
