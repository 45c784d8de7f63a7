package io.jitsiops.health.janssen;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jitsiops.deployment.DeploymentDescription;
import io.jitsiops.health.config.Secrets;
import io.jitsiops.health.probe.HttpOutcomes;
import io.jitsiops.health.probe.HttpProber;
import io.jitsiops.health.probe.ProbeFailure;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Talks to one Janssen server as a relying party: OpenID discovery, its JWKS, client_credentials tokens
 * (client_secret_basic) and token introspection (RFC 7662, client_secret_basic, as jans-auth's
 * {@code IntrospectionWebService} accepts it). Every endpoint taken from discovery passes {@link EndpointPins}
 * before it is called, so the client secret only goes to the issuer's own origin (or an allowed host). The
 * secret is read by the name the deployment description gives and never appears in errors or logs.
 */
public final class JanssenClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final DeploymentDescription.Janssen config;
    private final HttpProber http;
    private final EndpointPins pins;
    private volatile JsonNode discovery;

    public JanssenClient(DeploymentDescription.Janssen config, HttpProber http) {
        this.config = config;
        this.http = http;
        this.pins = new EndpointPins(issuer(), config.allowedHosts());
    }

    public String issuer() {
        return config.issuer().endsWith("/") ? config.issuer().substring(0, config.issuer().length() - 1) : config.issuer();
    }

    public DeploymentDescription.Janssen config() {
        return config;
    }

    public URI discoveryUri() {
        return URI.create(issuer() + "/.well-known/openid-configuration");
    }

    public URI healthCheckUri() {
        return URI.create(config.healthCheckUrl() != null ? config.healthCheckUrl() : issuer() + "/jans-auth/sys/health-check");
    }

    /** The OAuth client the checks use (never its secret). */
    public String clientId() {
        return config.clientId();
    }

    public String scimBase() {
        String base = config.scimUrl() != null ? config.scimUrl() : issuer() + "/jans-scim/restv1/v2";
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Fetches the discovery document (and remembers it for the JWKS, token and introspection endpoints). */
    public Uni<JsonNode> fetchDiscovery(Duration timeout) {
        return http.get(discoveryUri(), timeout, Map.of("Accept", "application/json"))
                .map(a -> json(a, "discovery document"))
                .invoke(d -> discovery = d);
    }

    Uni<JsonNode> discovery(Duration timeout) {
        JsonNode known = discovery;
        return known != null ? Uni.createFrom().item(known) : fetchDiscovery(timeout);
    }

    /** A discovery endpoint that passed the pins (see {@link EndpointPins}). */
    Uni<URI> endpoint(String field, Duration timeout) {
        return discovery(timeout).map(d -> pins.check(field, d.path(field).asText(null)));
    }

    /** Checks a discovery document's endpoints against the pins without calling them; throws naming the first bad one. */
    void checkPins(JsonNode d) {
        pins.check("token_endpoint", d.path("token_endpoint").asText(null));
        pins.check("jwks_uri", d.path("jwks_uri").asText(null));
        if (d.hasNonNull("introspection_endpoint")) {
            pins.check("introspection_endpoint", d.get("introspection_endpoint").asText());
        }
    }

    public Uni<JanssenKeys> fetchJwks(Duration timeout) {
        return endpoint("jwks_uri", timeout).flatMap(jwksUri -> http.get(jwksUri, timeout, Map.of("Accept", "application/json"))
                .map(a -> {
                    json(a, "JWKS");
                    try {
                        return JanssenKeys.parse(a.body());
                    } catch (IllegalArgumentException e) {
                        throw new ProbeFailure("JWKS: " + e.getMessage());
                    }
                }));
    }

    /** A client_credentials access token for the configured client: a JWT or an opaque string. */
    public Uni<String> clientCredentialsToken(String scope, Duration timeout) {
        return clientCredentialsGrant(scope, timeout).map(Grant::accessToken);
    }

    /**
     * A client_credentials token for {@code scope} (space-separated; null: the client's default scopes) and the scopes
     * Janssen granted with it: its token endpoint answers them as {@code scope} (jans-auth-server
     * {@code TokenRestWebServiceImpl}), only those registered on the client among the ones asked for.
     */
    public Uni<Grant> clientCredentialsGrant(String scope, Duration timeout) {
        String body = "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + form(scope))
                + (config.audience() == null ? "" : "&audience=" + form(config.audience()));
        return endpoint("token_endpoint", timeout)
                .flatMap(tokenEndpoint -> withClientAuth(basic -> http.post(tokenEndpoint, timeout,
                        Map.of("Authorization", basic, "Accept", "application/json"), "application/x-www-form-urlencoded", body)))
                .map(a -> {
                    JsonNode answer = jsonOrNull(a.body());
                    if (a.status() != 200) {
                        String error = answer == null ? HttpOutcomes.snippet(a.body())
                                : ": " + answer.path("error").asText("") + " " + answer.path("error_description").asText("");
                        throw new ProbeFailure("token endpoint answered HTTP " + a.status() + error.stripTrailing());
                    }
                    if (answer == null || !answer.hasNonNull("access_token")) {
                        throw new ProbeFailure("token endpoint answer has no access_token" + HttpOutcomes.snippet(a.body()));
                    }
                    Optional<Set<String>> granted = answer.hasNonNull("scope")
                            ? Optional.of(Set.copyOf(Arrays.asList(answer.get("scope").asText().trim().split("\\s+"))))
                            : Optional.empty();
                    return new Grant(answer.get("access_token").asText(), granted);
                });
    }

    /**
     * An access token and the scopes granted with it, when the token endpoint said (the {@code scope} member is
     * optional in RFC 6749 when it equals what was asked).
     */
    public record Grant(String accessToken, Optional<Set<String>> scopes) {
        /** The scopes asked for that were not granted; empty when all were, or when the answer did not say. */
        public List<String> missing(String requested) {
            if (scopes.isEmpty() || requested == null) {
                return List.of();
            }
            return Arrays.stream(requested.trim().split("\\s+")).filter(s -> !scopes.get().contains(s)).toList();
        }
    }

    /** RFC 7662 introspection of a token, authenticated as the configured client; the answer's JSON. */
    public Uni<JsonNode> introspect(String token, Duration timeout) {
        String body = "token=" + form(token) + "&token_type_hint=access_token";
        return endpoint("introspection_endpoint", timeout)
                .flatMap(uri -> withClientAuth(basic -> http.post(uri, timeout,
                        Map.of("Authorization", basic, "Accept", "application/json"), "application/x-www-form-urlencoded", body)))
                .map(a -> json(a, "introspection answer"));
    }

    /** Reads the secret (possibly a mounted file) off the event loop on each use, so a rotated secret is picked up. */
    private <T> Uni<T> withClientAuth(java.util.function.Function<String, Uni<T>> call) {
        return Uni.createFrom().item(() -> Secrets.byName(config.clientSecretEnv()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(secret -> {
                    if (secret.isEmpty()) {
                        return Uni.createFrom().failure(new ProbeFailure("client secret missing: "
                                + Secrets.howToSet(config.clientSecretEnv())));
                    }
                    String basic = "Basic " + Base64.getEncoder().encodeToString((form(config.clientId()) + ":"
                            + form(secret.get())).getBytes(StandardCharsets.UTF_8));
                    return call.apply(basic);
                });
    }

    static JsonNode json(HttpProber.Answer answer, String what) {
        if (answer.status() != 200) {
            throw new ProbeFailure(what + ": HTTP " + answer.status() + HttpOutcomes.snippet(answer.body()));
        }
        JsonNode node = jsonOrNull(answer.body());
        if (node == null || !node.isObject()) {
            throw new ProbeFailure(what + " is not a JSON object" + HttpOutcomes.snippet(answer.body()));
        }
        return node;
    }

    static JsonNode jsonOrNull(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static String form(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
