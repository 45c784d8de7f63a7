package io.jitsiops.sim.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/** Faults currently injected, by target name (jvb-1, jicofo, prosody, web, janssen, scim). */
@ApplicationScoped
public class FaultRegistry {
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

    public void inject(String target, Fault fault) {
        faults.put(target, fault);
        changed(Set.of(target));
    }

    public void clear(String target) {
        faults.remove(target);
        changed(Set.of(target));
    }

    public void clearAll() {
        Set<String> targets = Set.copyOf(faults.keySet());
        faults.clear();
        changed(targets);
    }

    /** Called with the targets whose fault changed (components that re-check themselves, e.g. health checkers). */
    public void onChange(Consumer<Set<String>> listener) {
        listeners.add(listener);
    }

    private void changed(Set<String> targets) {
        listeners.forEach(l -> l.accept(targets));
    }

    public Map<String, Fault> all() {
        return Map.copyOf(faults);
    }

    public Optional<Fault> of(String target) {
        return Optional.ofNullable(faults.get(target));
    }

    /**
     * The answer of {@code target}: {@code healthy} unless a fault says otherwise. {@code down} is how that
     * component reports itself unhealthy. Delays never hold a thread.
     */
    public Uni<Response> answer(String target, Supplier<Response> healthy, Supplier<Response> down) {
        Fault fault = faults.get(target);
        if (fault == null) {
            return Uni.createFrom().item(healthy);
        }
        return switch (fault.kind()) {
            // SOFT only differs from DOWN for JVB/jicofo health; REFUSED truly refuses only on a target's own port
            // (bridges, jicofo); on the shared port it answers as DOWN.
            case DOWN, SOFT, REFUSED -> Uni.createFrom().item(down);
            case ERROR -> Uni.createFrom().item(() -> Response.status(502).type(MediaType.TEXT_HTML)
                    .entity(nginxErrorPage(502, "Bad Gateway")).build());
            case GARBAGE -> Uni.createFrom().item(() -> Response.ok(nginxErrorPage(200, "Welcome"))
                    .type(MediaType.TEXT_HTML).build());
            case SLOW -> Uni.createFrom().item(healthy).onItem().delayIt().by(Duration.ofMillis(fault.delayMs()));
        };
    }

    private static String nginxErrorPage(int status, String title) {
        return "<html>\r\n<head><title>" + status + " " + title + "</title></head>\r\n<body>\r\n<center><h1>"
                + status + " " + title + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    }
}
