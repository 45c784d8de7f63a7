package io.jitsiops.health.janssen;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.AbstractProbe;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.ProbeSettings;

/** A probe of the Janssen server, talking to it as a relying party. */
abstract class JanssenProbe extends AbstractProbe {
    protected final JanssenClient janssen;
    protected final HealthConfig config;

    JanssenProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, HealthConfig config) {
        super(key, settings);
        this.janssen = janssen;
        this.config = config;
    }
}
