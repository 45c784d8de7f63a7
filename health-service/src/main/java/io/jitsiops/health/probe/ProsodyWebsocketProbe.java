package io.jitsiops.health.probe;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jitsiops.health.config.HealthConfig;
import io.smallrye.mutiny.Uni;

/**
 * What jitsi-meet does first when configured with {@code websocket: 'wss://…/xmpp-websocket'} (the default of
 * current Jitsi Meet): upgrade to a WebSocket with sub-protocol {@code xmpp} (RFC 7395), open a stream to the
 * XMPP domain, and expect prosody's {@code <open/>} and then its {@code <stream:features>}. A stream error or a
 * {@code <close/>} in their place names what went wrong; the stream is closed politely afterwards.
 */
public final class ProsodyWebsocketProbe extends AbstractProbe {
    private static final Pattern STREAM_ERROR = Pattern.compile("<stream:error[^>]*>\\s*<([a-z-]+)");
    private final URI uri;
    private final String xmppDomain;
    private final HttpProber http;
    private final HealthConfig config;

    /** @param uri the WebSocket endpoint (http/https URLs are turned into ws/wss) */
    public ProsodyWebsocketProbe(CheckKey key, URI uri, String xmppDomain, ProbeSettings settings, HttpProber http,
                                 HealthConfig config) {
        super(key, settings);
        this.uri = toWebSocket(uri);
        this.xmppDomain = xmppDomain;
        this.http = http;
        this.config = config;
    }

    static URI toWebSocket(URI uri) {
        String scheme = uri.getScheme();
        if ("http".equals(scheme) || "https".equals(scheme)) {
            return URI.create(("http".equals(scheme) ? "ws" : "wss") + uri.toString().substring(scheme.length()));
        }
        return uri;
    }

    @Override
    public Uni<ProbeOutcome> run() {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            StreamOpening opening = new StreamOpening();
            CompletableFuture<WebSocket> connected = http.newWebSocket().subprotocols("xmpp")
                    .connectTimeout(settings.timeout()).buildAsync(uri, opening);
            return Uni.createFrom().completionStage(connected.thenCompose(ws -> {
                        long upgradedMs = elapsedMs(started);
                        return ws.sendText("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='" + xmppDomain
                                + "' version='1.0'/>", true).thenCompose(sent -> opening.result)
                                .thenApply(features -> {
                                    ws.sendText("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>", true)
                                            .thenCompose(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "probe done"));
                                    Map<String, Double> m = new HashMap<>();
                                    m.put("websocket.upgrade_ms", (double) upgradedMs);
                                    return HttpOutcomes.degradedIfSlowOrExpiring(elapsedMs(started), m, config);
                                });
                    }))
                    .onFailure(WebSocketHandshakeException.class).recoverWithItem(e -> ProbeOutcome.down(elapsedMs(started),
                            "WebSocket upgrade refused: HTTP " + ((WebSocketHandshakeException) e).getResponse().statusCode()));
        });
    }

    /** Collects prosody's frames until the stream is open with its features, or refused. */
    private static final class StreamOpening implements WebSocket.Listener {
        final CompletableFuture<String> result = new CompletableFuture<>();
        private final StringBuilder received = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            received.append(data);
            String all = received.toString();
            Matcher error = STREAM_ERROR.matcher(all);
            if (error.find()) {
                result.completeExceptionally(new ProbeFailure("XMPP stream refused: " + error.group(1)));
            } else if (all.contains("<close")) {
                result.completeExceptionally(new ProbeFailure("XMPP stream closed by the server before its features"));
            } else if (all.contains("<open") && all.contains("features")) {
                result.complete(all);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            result.completeExceptionally(new ProbeFailure("WebSocket closed by the server (" + statusCode
                    + (reason == null || reason.isBlank() ? "" : ", " + reason) + ") before the stream opened"));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            result.completeExceptionally(error);
        }
    }
}
