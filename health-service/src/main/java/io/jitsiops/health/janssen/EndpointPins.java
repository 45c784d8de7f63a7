package io.jitsiops.health.janssen;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.jitsiops.health.probe.ProbeFailure;

/**
 * What discovery may point at. The endpoints this service calls with credentials or trusts for keys
 * ({@code token_endpoint}, {@code jwks_uri}, {@code introspection_endpoint}) must share the issuer's scheme, host
 * and port, unless their host is listed in {@code janssen.allowedHosts}; and they must be https unless on
 * loopback. A discovery document served by someone else (a compromised proxy, a typo in a mirror) then cannot
 * collect the client secret or substitute keys: the URL is refused before any request is made.
 */
final class EndpointPins {
    private final URI issuer;
    private final List<String> allowedHosts;

    EndpointPins(String issuer, List<String> allowedHosts) {
        this.issuer = URI.create(issuer);
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** The endpoint as a URI, or a failure naming the discovery field and the rule it broke. */
    URI check(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ProbeFailure("discovery document has no " + field);
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new ProbeFailure("discovery " + field + " is not a URL: '" + value + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ProbeFailure("discovery " + field + " is not an absolute http(s) URL: '" + value + "'");
        }
        if (!scheme.equals("https") && !loopback(uri.getHost())) {
            throw new ProbeFailure("discovery " + field + " is plain http off loopback: " + value);
        }
        if (sameOrigin(uri) || allowed(uri)) {
            return uri;
        }
        throw new ProbeFailure("discovery points " + field + " at " + origin(uri) + ", not the issuer's origin "
                + origin(issuer) + " (list the host in janssen.allowedHosts to allow it)");
    }

    private boolean sameOrigin(URI uri) {
        return uri.getScheme().equalsIgnoreCase(issuer.getScheme()) && uri.getHost().equalsIgnoreCase(issuer.getHost())
                && port(uri) == port(issuer);
    }

    private boolean allowed(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return allowedHosts.contains(host + ":" + port(uri)) || (uri.getPort() == -1 && allowedHosts.contains(host))
                || (allowedHosts.contains(host) && port(uri) == defaultPort(uri.getScheme()));
    }

    static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.startsWith("127.") || h.equals("::1");
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
