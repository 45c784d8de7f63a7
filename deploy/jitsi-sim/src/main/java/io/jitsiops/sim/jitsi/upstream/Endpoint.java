package io.jitsiops.sim.jitsi.upstream;

import java.util.Map;

import org.jitsi.utils.logging2.Logger;

/**
 * jvb/src/main/kotlin/org/jitsi/videobridge/Endpoint.kt (and AbstractEndpoint.kt for the logger): a child of the
 * conference's logger with {@code epId}, then {@code stats_id} once the endpoint reports it; the constructor's
 * "Created new endpoint" line and {@code expire}'s lines.
 */
public final class Endpoint {
    private final Logger logger;

    public Endpoint(Conference conference, String id, String statsId, boolean iceControlling) {
        logger = conference.logger.createChildLogger("org.jitsi.videobridge.Endpoint", Map.of("epId", id));
        logger.addContext("stats_id", statsId);
        logger.info("Created new endpoint, iceControlling=" + iceControlling);
    }

    /** Endpoint.expire(): the oversending summary, then "Expired.". */
    public void expire(long oversendingSeconds) {
        logger.info("Spent " + oversendingSeconds + " seconds oversending");
        logger.info("Expired.");
    }
}
