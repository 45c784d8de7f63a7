package io.jitsiops.sim.jitsi.upstream;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.jitsi.utils.logging2.LogContext;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * jvb/src/main/java/org/jitsi/videobridge/Conference.java: its logger context (a {@code HashMap} of confId,
 * conf_name and the meeting id trimmed to 8 hex characters, as upstream builds it), {@code expire} and
 * {@code updateStatisticsOnExpire}.
 */
public final class Conference {
    private static final Pattern UUID_TRIMMER = Pattern.compile("(\\p{XDigit}{8})[\\p{XDigit}-]*");
    final Logger logger;
    /**
     * Upstream logs this from the colibri queue's lambda in the constructor, so the formatter prints
     * {@code Conference.lambda$new$N}; a lambda here gets the same kind of name.
     */
    private final java.util.function.Consumer<Exception> colibriRequestFailed;

    public Conference(String id, String conferenceName, String meetingId) {
        Map<String, String> context = new HashMap<>(Map.of("confId", id));
        context.put("conf_name", conferenceName);
        context.put("meeting_id", UUID_TRIMMER.matcher(meetingId).replaceAll("$1"));
        logger = new LoggerImpl("org.jitsi.videobridge.Conference", new LogContext(context));
        colibriRequestFailed = e -> logger.warn("Failed to handle colibri request: ", e);
    }

    public void expire(long creationTime) {
        logger.info("Expiring.");
        updateStatisticsOnExpire(creationTime);
    }

    private void updateStatisticsOnExpire(long creationTime) {
        long durationSeconds = Math.round((System.currentTimeMillis() - creationTime) / 1000d);
        logger.info("expire_conf,duration=" + durationSeconds);
    }

    public void colibriRequestFailed(Exception failure) {
        colibriRequestFailed.accept(failure);
    }
}
