package io.jitsiops.sim.jitsi.upstream;

import org.jitsi.utils.logging2.Logger;

/** jicofo/src/main/java/org/jitsi/jicofo/conference/ParticipantInviteRunnable.java: {@code doRun}'s allocation failure. */
public final class ParticipantInviteRunnable {
    private final Logger logger;

    ParticipantInviteRunnable(Logger parent, String participant) {
        logger = parent.createChildLogger("org.jitsi.jicofo.conference.ParticipantInviteRunnable");
        logger.addContext("participant", participant);
    }

    public void doRun(Exception colibriAllocationFailed) {
        logger.error("Failed to allocate colibri channels", colibriAllocationFailed);
    }
}
