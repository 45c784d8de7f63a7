package io.jitsiops.sim.jitsi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.jitsiops.sim.service.ConferenceSimulator;
import io.jitsiops.sim.service.Fault;
import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

/**
 * Each bridge, jicofo and the web front also listen on a port of their own, as the real processes do (JVB's private
 * interface on 8080, jicofo's on 8888, nginx's 80/443), serving the same paths without the simulator's prefix ({@code /about/health},
 * {@code /colibri/stats}, ...). A REFUSED fault closes that port, so a client gets "connection refused" as it does
 * from a crashed process; clearing the fault opens it again on the same port. The listeners forward to the
 * simulator's own HTTP port (one implementation of each endpoint).
 */
@ApplicationScoped
public class OwnPorts {
    private final Vertx vertx;
    private final FaultRegistry faults;
    private final Map<String, String> prefixes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final int base;
    private HttpClient client;

    public OwnPorts(Vertx vertx, FaultRegistry faults, ConferenceSimulator conferences, SimConfig config) {
        this.vertx = vertx;
        this.faults = faults;
        this.base = config.ownPortBase();
        conferences.bridges().forEach(b -> prefixes.put(b, "/jvb/" + b));
        prefixes.put(Jicofo.TARGET, "/jicofo");
        // nginx's listener (added last: the ports before it keep their numbers), so a crashed nginx refuses too
        prefixes.put("web", "/web"); // WebResource.TARGET
    }

    void start(@Observes StartupEvent e) {
        client = vertx.createHttpClient();
        int i = 0;
        for (String target : prefixes.keySet()) {
            int port = base == 0 ? 0 : base + i;
            i++;
            if (faults.of(target).map(f -> f.kind() == Fault.Kind.REFUSED).orElse(false)) {
                continue;
            }
            open(target, port);
        }
        faults.onChange(this::changed);
    }

    void stop(@Observes ShutdownEvent e) {
        servers.values().forEach(HttpServer::close);
    }

    /** Target name to its own base URL, e.g. {@code jvb-1 -> http://127.0.0.1:41234}. */
    public Map<String, String> urls() {
        Map<String, String> urls = new LinkedHashMap<>();
        prefixes.keySet().forEach(t -> {
            Integer p = ports.get(t);
            if (p != null) {
                urls.put(t, "http://127.0.0.1:" + p);
            }
        });
        return urls;
    }

    private void changed(Set<String> targets) {
        for (String target : targets) {
            if (!prefixes.containsKey(target)) {
                continue;
            }
            boolean refused = faults.of(target).map(f -> f.kind() == Fault.Kind.REFUSED).orElse(false);
            HttpServer server = servers.get(target);
            if (refused && server != null) {
                servers.remove(target);
                server.close().toCompletionStage().toCompletableFuture().join();
            } else if (!refused && server == null) {
                open(target, ports.getOrDefault(target, 0));
            }
        }
    }

    private void open(String target, int port) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(req -> forward(prefixes.get(target), req));
        HttpServer listening;
        try {
            listening = server.listen().toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            // Netty's BindException names no port, and the stack's start-up error shows only the innermost cause
            // (the last lines of this log): this message is that cause, so it names the port and the target
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + " for " + target + ": "
                    + e.getCause().getMessage());
        }
        ports.put(target, listening.actualPort());
        servers.put(target, listening);
    }

    private void forward(String prefix, HttpServerRequest req) {
        req.body().compose(body -> client.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
                        .setPort(mainPort()).setURI(prefix + req.uri()).setHeaders(req.headers())
                        .setIdleTimeout(Duration.ofMinutes(2).toMillis()))
                .compose(r -> r.send(body))
                .compose(r -> r.body().map(b -> new Answer(r, b))))
                .onSuccess(a -> {
                    req.response().setStatusCode(a.response.statusCode());
                    a.response.headers().forEach(h -> req.response().putHeader(h.getKey(), h.getValue()));
                    req.response().end(a.body);
                })
                .onFailure(t -> req.response().setStatusCode(502).end(String.valueOf(t.getMessage())));
    }

    private record Answer(HttpClientResponse response, Buffer body) {
    }

    /** The simulator's HTTP port; with port 0 Quarkus publishes the actual one as a system property. */
    private static int mainPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        String value = System.getProperty(key);
        if (value == null) {
            value = org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue(key, String.class)
                    .orElse("18080");
        }
        return Integer.parseInt(value);
    }

    List<String> targets() {
        return List.copyOf(prefixes.keySet());
    }
}
