package io.jitsiops.alert.receiver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.jitsiops.alert.config.Secret;
import io.jitsiops.alert.notify.DeliveryResult;
import io.smallrye.mutiny.Uni;

/**
 * Posts JSON to a receiver's secret URL, asynchronously (the JDK client: each receiver has its own URL from
 * configuration, which a {@code @RegisterRestClient} interface with one base URL does not fit). Whatever goes wrong,
 * the error text is cleaned of the URL, which is the receiver's credential.
 */
public final class HttpPoster {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpPoster() {
    }

    public static Uni<DeliveryResult> postJson(Secret url, byte[] body, Duration timeout, boolean retry429) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url.reveal())).timeout(timeout)
                    .header("Content-Type", "application/json").header("User-Agent", "jitsi-ops-alert-service")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(DeliveryResult.permanent("the configured URL is not valid"));
        }
        return Uni.createFrom().completionStage(() -> CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(r -> DeliveryResult.ofHttpStatus(r.statusCode(), r.headers().firstValue("Retry-After"), retry429))
                .onFailure().recoverWithItem(e -> DeliveryResult.retryable(clean(e, url)));
    }

    /** An exception's description without the secret URL (or its path, which holds the token). */
    public static String clean(Throwable e, Secret url) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        String u = url.reveal();
        text = text.replace(u, Secret.MASK);
        try {
            String path = URI.create(u).getRawPath();
            if (path != null && path.length() > 1) {
                text = text.replace(path, Secret.MASK);
            }
        } catch (IllegalArgumentException ignored) {
            // not a URI: the whole value was already replaced
        }
        return text;
    }
}
