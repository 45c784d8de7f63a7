package io.jitsiops.health.janssen;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.probe.CheckKey;
import io.jitsiops.health.probe.HttpOutcomes;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.ProbeFailure;
import io.jitsiops.health.probe.ProbeOutcome;
import io.jitsiops.health.probe.ProbeSettings;
import io.smallrye.mutiny.Uni;

/**
 * Provisioning: SCIM's ServiceProviderConfig answers and a one-user listing with the bearer token works (a
 * token without the {@code users.read} scope is refused there); with the opt-in round trip, a test user is created,
 * read back and deleted. The delete runs whatever happened after the create; a user that could not be
 * deleted is remembered and deleted first on the next run, so that no test user is left behind.
 */
public final class ScimProbe extends JanssenProbe {
    private static final Logger LOG = Logger.getLogger(ScimProbe.class);
    static final String SCOPES = "https://jans.io/scim/users.read https://jans.io/scim/users.write";
    private static final String SCIM_JSON = "application/scim+json";
    private final HttpProber http;
    private final boolean roundTrip;
    private final Set<String> leftovers = ConcurrentHashMap.newKeySet();

    public ScimProbe(CheckKey key, ProbeSettings settings, JanssenClient janssen, HttpProber http, HealthConfig config,
                     boolean roundTrip) {
        super(key, settings, janssen, config);
        this.http = http;
        this.roundTrip = roundTrip;
    }

    @Override
    public Uni<ProbeOutcome> run() {
        long started = System.nanoTime();
        return janssen.clientCredentialsToken(SCOPES, settings.timeout()).flatMap(token -> {
            Map<String, String> auth = Map.of("Authorization", "Bearer " + token, "Accept", SCIM_JSON);
            return cleanLeftovers(auth)
                    .flatMap(x -> http.get(URI.create(janssen.scimBase() + "/ServiceProviderConfig"), settings.timeout(), auth))
                    .flatMap(spc -> {
                        if (spc.status() != 200 || !spc.body().contains("ServiceProviderConfig")) {
                            throw new ProbeFailure("SCIM ServiceProviderConfig: HTTP " + spc.status()
                                    + HttpOutcomes.snippet(spc.body()));
                        }
                        return http.get(URI.create(janssen.scimBase() + "/Users?count=1"), settings.timeout(), auth);
                    })
                    .flatMap(list -> {
                        if (list.status() == 403) {
                            // Configuration diagnosis: the client was not granted the scopes the check asks for.
                            throw new ProbeFailure("SCIM list users: HTTP 403" + HttpOutcomes.snippet(list.body())
                                    + " — " + missingScopesHint(janssen.clientId(), roundTrip));
                        }
                        if (list.status() != 200) {
                            throw new ProbeFailure("SCIM list users: HTTP " + list.status() + HttpOutcomes.snippet(list.body()));
                        }
                        return roundTrip ? roundTrip(auth) : Uni.createFrom().item(Map.<String, Double>of());
                    })
                    .map(m -> HttpOutcomes.degradedIfSlowOrExpiring(elapsedMs(started), m, config));
        });
    }

    /**
     * The setting to change when SCIM refuses the token: Janssen grants a client_credentials token only the scopes
     * registered on the client, so the client itself needs them (jans-config-api {@code /jans-config-api/api/v1/openid
     * /clients}, or the TUI: Auth Server → Clients → the client → Scopes).
     */
    static String missingScopesHint(String clientId, boolean roundTrip) {
        return "the Janssen client '" + clientId + "' lacks the SCIM scope" + (roundTrip ? "s" : "")
                + " the check needs: add https://jans.io/scim/users.read" + (roundTrip ? " and https://jans.io/scim/users.write"
                : "") + " to the client's scopes in Janssen (Auth Server → Clients → " + clientId + " → Scopes)";
    }

    private Uni<Map<String, Double>> roundTrip(Map<String, String> auth) {
        String userName = "jitsi-ops-probe-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName
                + "\",\"displayName\":\"jitsi-ops health probe (deleted right away)\",\"active\":false}";
        long started = System.nanoTime();
        return http.post(URI.create(janssen.scimBase() + "/Users"), settings.timeout(), auth, SCIM_JSON, body)
                .flatMap(created -> {
                    JsonNode user = JanssenClient.jsonOrNull(created.body());
                    if (created.status() != 201 || user == null || !user.hasNonNull("id")) {
                        throw new ProbeFailure("SCIM create user: HTTP " + created.status() + HttpOutcomes.snippet(created.body()));
                    }
                    String id = user.get("id").asText();
                    return readBack(id, userName, auth)
                            .onTermination().call(() -> delete(id, auth))
                            .map(x -> {
                                Map<String, Double> m = new HashMap<>();
                                m.put("scim.round_trip_ms", (double) elapsedMs(started));
                                return m;
                            });
                });
    }

    private Uni<Void> readBack(String id, String userName, Map<String, String> auth) {
        return http.get(URI.create(janssen.scimBase() + "/Users/" + id), settings.timeout(), auth).map(read -> {
            if (read.status() != 200 || !read.body().contains(userName)) {
                throw new ProbeFailure("SCIM read back user " + id + ": HTTP " + read.status() + HttpOutcomes.snippet(read.body()));
            }
            return null;
        });
    }

    /** Deletes a test user; never fails the chain: a user it could not delete is kept for the next run. */
    private Uni<Void> delete(String id, Map<String, String> auth) {
        return http.delete(URI.create(janssen.scimBase() + "/Users/" + id), settings.timeout(), auth)
                .map(a -> a.status() == 204 || a.status() == 200 || a.status() == 404)
                .onFailure().recoverWithItem(false)
                .invoke(deleted -> {
                    if (deleted) {
                        leftovers.remove(id);
                    } else {
                        leftovers.add(id);
                        LOG.warnf("SCIM test user %s could not be deleted; retrying on the next run", id);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> cleanLeftovers(Map<String, String> auth) {
        if (leftovers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(leftovers.stream().map(id -> delete(id, auth)).toList()).andCollectFailures().replaceWithVoid();
    }
}
