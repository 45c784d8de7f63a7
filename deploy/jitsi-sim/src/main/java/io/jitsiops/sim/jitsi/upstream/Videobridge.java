package io.jitsiops.sim.jitsi.upstream;

import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/** jvb/src/main/java/org/jitsi/videobridge/Videobridge.java: {@code createConference}, {@code setDrainMode}. */
public final class Videobridge {
    private final Logger logger = new LoggerImpl("org.jitsi.videobridge.Videobridge");

    public void createConference(String id, String meetingId) {
        logger.info(() -> "create_conf, id=" + id + " meeting_id=" + meetingId);
    }

    public void setDrainMode(boolean enable) {
        logger.info("Received drain request. enable=" + enable);
    }
}
