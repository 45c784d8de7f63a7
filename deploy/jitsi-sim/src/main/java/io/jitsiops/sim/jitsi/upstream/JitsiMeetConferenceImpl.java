package io.jitsiops.sim.jitsi.upstream;

import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * jicofo/src/main/java/org/jitsi/jicofo/conference/JitsiMeetConferenceImpl.java: the {@code room} context added in
 * the constructor ("Created new conference."), {@code meeting_id} added on joining the room, "Member left:" and
 * "Stopped.".
 */
public final class JitsiMeetConferenceImpl {
    private final Logger logger;
    private final String roomName;

    public JitsiMeetConferenceImpl(String roomName) {
        this.roomName = roomName;
        logger = new LoggerImpl("org.jitsi.jicofo.conference.JitsiMeetConferenceImpl");
        logger.addContext("room", roomName);
        logger.info("Created new conference.");
    }

    public void joinTheRoom(String meetingId) {
        logger.info("Joining " + roomName);
        logger.addContext("meeting_id", meetingId);
    }

    public void onMemberLeft(String memberName) {
        logger.info("Member left:" + memberName);
    }

    public void stop() {
        logger.info("Stopped.");
    }

    /** A child logger with the participant, as ParticipantInviteRunnable creates it. */
    public ParticipantInviteRunnable inviteRunnable(String participant) {
        return new ParticipantInviteRunnable(logger, participant);
    }
}
