package io.jitsiops.sim.jitsi.upstream;

import org.jitsi.utils.logging2.Logger;

/**
 * jicofo/src/main/java/org/jitsi/jicofo/conference/ParticipantInviteRunnable.java: {@code doRun}'s allocation
 * failure, and its {@code BridgeSelectionFailedException} branch (no operational bridge: the participant is never
 * sent a session-initiate, nothing tells the client).
 */
public final class ParticipantInviteRunnable {
    private final Logger logger;

    ParticipantInviteRunnable(Logger parent, String participant) {
        logger = parent.createChildLogger("org.jitsi.jicofo.conference.ParticipantInviteRunnable");
        logger.addContext("participant", participant);
    }

    public void noBridgeAvailable() {
        logger.error("Can not invite participant, no bridge available.");
    }

    public void sendingSessionInitiate(String mucJid) {
        logger.info("Sending session-initiate to: " + mucJid + " sources={}");
    }

    public void doRun(Exception colibriAllocationFailed) {
        logger.error("Failed to allocate colibri channels", colibriAllocationFailed);
    }
}
