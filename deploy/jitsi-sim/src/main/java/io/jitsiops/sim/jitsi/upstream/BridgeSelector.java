package io.jitsiops.sim.jitsi.upstream;

import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/** jicofo-selector/src/main/kotlin/org/jitsi/jicofo/bridge/BridgeSelector.kt: {@code removeJvbAddress}. */
public final class BridgeSelector {
    private final Logger logger = new LoggerImpl("org.jitsi.jicofo.bridge.BridgeSelector");

    /** A bridge left the brewery MUC; one that was not shutting down was lost. */
    public void removeJvbAddress(String bridgeJid, boolean lost) {
        logger.info("Removing JVB: " + bridgeJid);
        if (lost) {
            logger.warn("Lost a bridge: " + bridgeJid);
        }
    }
}
