package io.jitsiops.sim.web;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.jitsiops.sim.service.ConferenceSimulator;
import io.jitsiops.sim.service.SimConference;

/**
 * The web front's nginx {@code stub_status} page (ngx_http_stub_status_module), with counters that move with the
 * simulated load. The text is what the module prints, trailing spaces included (nginx/nginx
 * {@code src/http/modules/ngx_http_stub_status_module.c}, {@code ngx_http_stub_status_handler}, lines 127–135 at
 * ef96f5835468ff8d40df29b0ddbc04ec1e5e1582; unchanged since the {@code Waiting} field came in 1.x):
 * <pre>
 * "Active connections: %uA \n"
 * "server accepts handled requests\n"
 * " %uA %uA %uA \n"
 * "Reading: %uA Writing: %uA Waiting: %uA \n"
 * </pre>
 * Load model (the simulator's, not nginx's): every participant holds one proxied XMPP connection (BOSH/WebSocket to
 * prosody), which nginx counts as {@code Writing} while the request is being processed, plus one idle keep-alive
 * connection ({@code Waiting}); the request for this page is itself one {@code Writing} connection, as in the
 * recordings ({@code Active connections: 1}, {@code Writing: 1}). Each read accepts one connection (this request) and
 * adds, per second since the previous read, one new connection and two requests per participant (room joins,
 * assets, BOSH polls). {@code accepts - handled} grows only through {@link #dropConnections(long)}: nginx accepts a
 * connection it cannot handle when {@code worker_connections} is exhausted.
 */
@ApplicationScoped
public class NginxStubStatus {
    private final ConferenceSimulator conferences;
    private final AtomicBoolean enabled = new AtomicBoolean(true);
    private long accepts;
    private long handled;
    private long requests;
    private long lastReadNanos = System.nanoTime();
    private double carry;

    public NginxStubStatus(ConferenceSimulator conferences) {
        this.conferences = conferences;
    }

    /** Off: the site has no {@code stub_status} location (or it is on another server block): 404. */
    public void setEnabled(boolean on) {
        enabled.set(on);
    }

    public boolean enabled() {
        return enabled.get();
    }

    /** Connections nginx accepted and dropped at once (worker_connections exhausted): accepts grows, handled not. */
    public synchronized void dropConnections(long count) {
        accepts += Math.max(0, count);
    }

    /** Counters back to a freshly started nginx, page on. */
    public synchronized void reset() {
        enabled.set(true);
        accepts = handled = requests = 0;
        carry = 0;
        lastReadNanos = System.nanoTime();
    }

    /** The page as nginx renders it now (one read: this request counts as accepted, handled and requested). */
    public synchronized String render() {
        int participants = conferences.allConferences().stream().mapToInt(SimConference::participants).sum();
        long now = System.nanoTime();
        double seconds = (now - lastReadNanos) / 1e9;
        lastReadNanos = now;
        carry += participants * seconds;
        long newConnections = (long) carry;
        carry -= newConnections;
        accepts += 1 + newConnections;
        handled += 1 + newConnections;
        requests += 1 + 2 * newConnections;
        long reading = 0;
        long writing = 1 + participants;
        long waiting = participants;
        return text(reading + writing + waiting, accepts, handled, requests, reading, writing, waiting);
    }

    /** nginx's format, byte for byte. */
    public static String text(long active, long accepts, long handled, long requests, long reading, long writing, long waiting) {
        return "Active connections: " + active + " \n"
                + "server accepts handled requests\n"
                + " " + accepts + " " + handled + " " + requests + " \n"
                + "Reading: " + reading + " Writing: " + writing + " Waiting: " + waiting + " \n";
    }
}
