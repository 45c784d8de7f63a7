package io.jitsiops.health.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.health.config.HealthConfig;
import io.jitsiops.health.config.Secrets;
import io.smallrye.mutiny.Uni;

/**
 * Non-blocking HTTP for probes (the JDK client: asynchronous, per-request timeouts, and the TLS session for
 * certificate expiry). Redirects are followed (a loop ends as an error), except for requests that carry an
 * {@code Authorization} header: a credential never follows a redirect to wherever it points, the 3xx is the
 * answer. Bodies are kept up to 1 MiB (the scheduler bounds the whole exchange by the probe's timeout).
 */
@ApplicationScoped
public class HttpProber {
    static final int MAX_BODY_BYTES = 1 << 20;
    private final HttpClient client;
    /** The same client without redirects, for authenticated requests. */
    private final HttpClient authenticated;
    private final ExecutorService executor;
    private final SSLContext ssl;

    public HttpProber(HealthConfig config) {
        // A small pool of our own: completions never run on the Vert.x event loop, and threads stay bounded.
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "health-probe-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(config.defaultTimeout())
                .executor(executor);
        Optional<SSLContext> configured = sslContext(config.tls());
        configured.ifPresent(builder::sslContext);
        try {
            this.ssl = configured.isPresent() ? configured.get() : SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
        this.client = builder.build();
        this.authenticated = builder.followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }

    /** The TLS trust of every probe: the configured trust store, or the JVM's CAs. */
    public SSLContext sslContext() {
        return ssl;
    }

    /** A WebSocket client sharing this prober's TLS trust, executor and connection settings. */
    public java.net.http.WebSocket.Builder newWebSocket() {
        return client.newWebSocketBuilder();
    }

    /** An answer: status, body (capped), how long it took, and the server certificate for https. */
    public record Answer(int status, String body, String contentType, long latencyMs, Optional<X509Certificate> certificate) {
    }

    public Uni<Answer> get(URI uri, Duration timeout, Map<String, String> headers) {
        return send(request(uri, timeout, headers).GET().build());
    }

    public Uni<Answer> post(URI uri, Duration timeout, Map<String, String> headers, String contentType, String body) {
        return send(request(uri, timeout, headers).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    public Uni<Answer> delete(URI uri, Duration timeout, Map<String, String> headers) {
        return send(request(uri, timeout, headers).DELETE().build());
    }

    private static HttpRequest.Builder request(URI uri, Duration timeout, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "jitsi-ops-health/0.1");
        headers.forEach(b::header);
        return b;
    }

    private Uni<Answer> send(HttpRequest request) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            HttpClient c = request.headers().firstValue("Authorization").isPresent() ? authenticated : client;
            return Uni.createFrom().completionStage(c.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                    .map(response -> {
                        byte[] bytes = response.body();
                        String body = new String(bytes, 0, Math.min(bytes.length, MAX_BODY_BYTES), StandardCharsets.UTF_8);
                        long latency = (System.nanoTime() - started) / 1_000_000;
                        Optional<X509Certificate> cert = response.sslSession().flatMap(HttpProber::leaf);
                        return new Answer(response.statusCode(), body,
                                response.headers().firstValue("Content-Type").orElse(""), latency, cert);
                    });
        });
    }

    private static Optional<X509Certificate> leaf(javax.net.ssl.SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** Days until the certificate's notAfter (negative once expired). */
    public static double daysToExpiry(X509Certificate cert, Instant now) {
        return Duration.between(now, cert.getNotAfter().toInstant()).toMinutes() / (24.0 * 60.0);
    }

    /**
     * Whether a failed request is worth another attempt: refused or reset connections and timeouts are (a
     * restarting or overloaded target); TLS, DNS and a probe's own verdict on the answer are not, since the
     * next attempt would meet the same certificate, name or body.
     */
    public static boolean isTransient(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ProbeFailure || t instanceof SSLException || t instanceof UnresolvedAddressException
                || t instanceof UnknownHostException) {
            return false;
        }
        if (String.valueOf(t.getMessage()).contains("too many redirects")) {
            return false; // a redirect loop loops again
        }
        return t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
                || t instanceof io.smallrye.mutiny.TimeoutException;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t.getCause() instanceof SSLException
                || t.getCause() instanceof UnresolvedAddressException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** An operator-readable reason for a failed request. */
    public static String describe(Throwable failure, Duration timeout) {
        Throwable t = unwrap(failure);
        if (t instanceof ProbeFailure) {
            return t.getMessage();
        }
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + timeout.toMillis() + " ms";
        }
        if (t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (t instanceof SSLHandshakeException || t instanceof SSLException) {
            return "TLS: " + rootMessage(t);
        }
        if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
            return "DNS: cannot resolve the host";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        String message = rootMessage(t);
        if (message.contains("too many redirects")) {
            return "redirect loop: " + message;
        }
        return t.getClass().getSimpleName() + ": " + message;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    private static Optional<SSLContext> sslContext(HealthConfig.Tls tls) {
        if (tls.trustStore().isEmpty()) {
            return Optional.empty();
        }
        Path store = Path.of(tls.trustStore().get());
        char[] password = tls.trustStorePasswordEnv().flatMap(Secrets::byName).orElse("").toCharArray();
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return Optional.of(ctx);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("jitsiops.health.tls.trust-store: cannot load " + store + ": " + e.getMessage(), e);
        }
    }
}
