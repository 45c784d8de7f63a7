package io.jitsiops.health.conference;

/**
 * The steps of one synthetic conference, in the order a jitsi-meet client goes through them. A run stops at the
 * first step that fails; {@link #number()} is what the result's {@code failed_step} measurement holds.
 */
public enum ProbeStep {
    /** The BOSH URL's host resolves, and for https the TLS handshake succeeds. */
    DNS_TLS("dns-tls"),
    /** prosody opens a BOSH session for the XMPP domain (stream features). */
    PROSODY_SESSION("prosody-session"),
    /** SASL login (anonymous, password, or anonymous with a JWT room token) and resource binding. */
    AUTH("auth"),
    /** jicofo answers the conference request (ConferenceIq, or HTTP conference-request/v1) with ready=true. */
    CONFERENCE_REQUEST("conference-request"),
    /** The first probe participant joins the conference MUC room. */
    MUC_JOIN("muc-join"),
    /** focus is an occupant of the room, with the focus user's JID. */
    FOCUS_PRESENT("focus-present"),
    /**
     * With a second participant in the room (jicofo's min-participants is 2), focus sends each a Jingle
     * session-initiate carrying the bridge's ICE transport: a bridge was selected and its endpoints allocated.
     */
    BRIDGE_ALLOCATED("bridge-allocated"),
    /** Both participants leave the room and close their sessions. */
    CLEANUP("cleanup");

    private final String wireName;

    ProbeStep(String wireName) {
        this.wireName = wireName;
    }

    /** The step's name in results, metrics and errors. */
    public String wireName() {
        return wireName;
    }

    /** 1-based position (the {@code failed_step} measurement). */
    public int number() {
        return ordinal() + 1;
    }

    /** The measurement holding the step's latency. */
    public String latencyKey() {
        return "step." + wireName.replace('-', '_') + "_ms";
    }
}
