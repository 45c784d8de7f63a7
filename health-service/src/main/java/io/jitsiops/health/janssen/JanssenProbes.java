package io.jitsiops.health.janssen;

import java.util.ArrayList;
import java.util.List;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.deployment.DurationParser;
import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.Probe;
import io.jitsiops.health.probe.ProbeSettings;

/** The checks of every Janssen server the deployment description names, keyed by its target name. */
public final class JanssenProbes {
    public static final String COMPONENT = "janssen";

    private JanssenProbes() {
    }

    public static List<Probe> forDeployment(DeploymentDescription deployment, HealthConfig config, HttpProber http) {
        List<Probe> list = new ArrayList<>();
        for (DeploymentDescription.Janssen target : deployment.janssen()) {
            list.addAll(forTarget(target, config, http));
        }
        return list;
    }

    static List<Probe> forTarget(DeploymentDescription.Janssen target, HealthConfig config, HttpProber http) {
        JanssenClient janssen = new JanssenClient(target, http);
        ProbeSettings s = new ProbeSettings(
                target.interval() == null ? config.defaultInterval() : DurationParser.parse(target.interval()),
                target.timeout() == null ? config.defaultTimeout() : DurationParser.parse(target.timeout()), 0, 200);
        String name = target.targetName();
        List<Probe> list = new ArrayList<>();
        list.add(new OidcDiscoveryProbe(key(name, "oidc-discovery"), s, janssen, config));
        list.add(new JwksProbe(key(name, "jwks"), s, janssen, config));
        list.add(new TokenSigningProbe(key(name, "jwt-signing"), s, janssen, config));
        list.add(new JanssenHealthProbe(key(name, "health-check"), s, janssen, http, config));
        list.add(new ScimProbe(key(name, "scim-provisioning"), s, janssen, http, config, Boolean.TRUE.equals(target.scimRoundTrip())));
        if (target.roomTokenEnv() != null) {
            list.add(new RoomTokenProbe(key(name, "room-token"), s, janssen, target.roomTokenEnv()));
        }
        return list;
    }

    private static CheckKey key(String target, String check) {
        return new CheckKey(COMPONENT, target, check);
    }
}
