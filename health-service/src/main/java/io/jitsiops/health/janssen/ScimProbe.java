package io.jitsiops.health.janssen;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
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
 * <p>
 * Configuration diagnosis: the token asks only for the scopes the check needs ({@code users.read}, and
 * {@code users.write} for the round trip). When Janssen's token answer grants fewer (it grants only those registered
 * on the client), the check is DOWN naming exactly the missing scopes and where to add them, before SCIM is asked;
 * a 403 from SCIM itself names them too.
 */
public final class ScimProbe extends JanssenProbe {
    private static final Logger LOG = Logger.getLogger(ScimProbe.class);
    static final String USERS_READ = "https://jans.io/scim/users.read";
    static final String USERS_WRITE = "https://jans.io/scim/users.write";
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
        String scopes = roundTrip ? USERS_READ + " " + USERS_WRITE : USERS_READ;
        return janssen.clientCredentialsGrant(scopes, settings.timeout()).flatMap(grant -> {
            List<String> missing = grant.missing(scopes);
            if (!missing.isEmpty()) {
                throw new ProbeFailure("SCIM: Janssen did not grant " + String.join(" and ", missing) + " — "
                        + missingScopesHint(janssen.clientId(), missing));
            }
            Map<String, String> auth = Map.of("Authorization", "Bearer " + grant.accessToken(), "Accept", SCIM_JSON);
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
                                    + " — " + missingScopesHint(janssen.clientId(), List.of(USERS_READ)));
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
     * The setting to change when a scope is missing: Janssen grants a client_credentials token only the scopes
     * registered on the client, so the client itself needs them (jans-config-api {@code /jans-config-api/api/v1/openid
     * /clients}, or the TUI: Auth Server → Clients → the client → Scopes).
     */
    static String missingScopesHint(String clientId, List<String> scopes) {
        return "the Janssen client '" + clientId + "' lacks the SCIM scope" + (scopes.size() > 1 ? "s" : "")
                + " the check needs: add " + String.join(" and ", scopes) + " to the client's scopes in Janssen (Auth "
                + "Server → Clients → " + clientId + " → Scopes)";
    }

    private Uni<Map<String, Double>> roundTrip(Map<String, String> auth) {
        String userName = "jitsi-ops-probe-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName
                + "\",\"displayName\":\"jitsi-ops health probe (deleted right away)\",\"active\":false}";
        long started = System.nanoTime();
        return http.post(URI.create(janssen.scimBase() + "/Users"), settings.timeout(), auth, SCIM_JSON, body)
                .flatMap(created -> {
                    JsonNode user = JanssenClient.jsonOrNull(created.body());
                    if (created.status() == 403) {
                        throw new ProbeFailure("SCIM create user: HTTP 403" + HttpOutcomes.snippet(created.body())
                                + " — " + missingScopesHint(janssen.clientId(), List.of(USERS_WRITE)));
                    }
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
