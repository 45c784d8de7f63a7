package io.jitsiops.alert.rest;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import io.jitsiops.alert.config.AlertConfig;
import io.jitsiops.alert.evaluate.SortedLabels;
import io.jitsiops.alert.service.PostedAlertRouter;
import io.jitsiops.alert.service.ExternalAlertIntake.PostableAlert;
import io.jitsiops.alert.service.StringPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v2/alerts} (Alertmanager's postableAlerts, what Prometheus sends) as a plain Vert.x route ahead of
 * Quarkus REST. Why not a REST method: a single-alert post is almost all per-request work, and a JFR profile of the
 * REST method (session 20) put ~80% of the service's CPU on the event loops in that work — the CDI request context,
 * context-propagation captures of the Uni chain, the REST observability hook's per-request path matcher, and Jackson
 * binding into maps. Here the body is read with Jackson's streaming parser straight into {@link PostableAlert}s and
 * handed to the replica that owns each alert ({@link PostedAlertRouter}: this one's intake thread for the alerts it
 * holds, Kafka for the others), on the event loop (neither hand-over blocks it). The contract is the REST method's: the static intake
 * token (jitsiops.alert.intake.bearer-token) or an OIDC bearer with the role jitsi-ops-operator, resolved by
 * Quarkus' own HTTP security (the request's deferred identity; no token is verified here); 401 without either, 403
 * without the role; 400 for a body that is not a JSON array of alerts or an alert without labels; 503 when Kafka
 * cannot take them, this replica is more than max-unwritten changes ahead of PostgreSQL for longer than max-wait (the
 * post waits meanwhile, {@link CatchUpWait}), or the replica that owns some of them is more than max-owner-lag behind
 * (Prometheus drops the batch and sends its firing alerts again with a later evaluation);
 * 200 once they are handed over. Documented in
 * META-INF/openapi.yaml.
 */
@ApplicationScoped
public class AlertIntakeRoute {
    static final String PATH = "/api/v2/alerts";

    /**
     * How a post was answered, counted in {@code jitsiops_alert_intake_posts_total{outcome}}, with the causes of a
     * 503 apart since they call for different fixes (Prometheus counts the alerts of a refused post on its side, in
     * {@code prometheus_notifications_dropped_total}).
     */
    enum Outcome {
        ACCEPTED(200, "accepted"),
        INVALID(400, "invalid"),
        UNAUTHENTICATED(401, "unauthenticated"),
        FORBIDDEN(403, "forbidden"),
        TOO_LARGE(413, "too_large"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
        FAILED(500, "failed"),
        REFUSED_KAFKA(503, "refused_kafka"),
        /** Behind PostgreSQL (more than max-unwritten changes waiting) for longer than the post may wait (max-wait). */
        REFUSED_BEHIND_POSTGRESQL(503, "refused_behind_postgresql"),
        /** Let in, but read when more than twice max-unwritten changes waited (before session 33 counted as the above). */
        REFUSED_UNWRITTEN_LIMIT(503, "refused_unwritten_limit"),
        /**
         * The intake thread's queue is full (likewise), or since session 38 has been half full for longer than
         * max-wait: the thread, not PostgreSQL, is behind.
         */
        REFUSED_INTAKE_QUEUE_FULL(503, "refused_intake_queue_full"),
        REFUSED_BEHIND_OWNER(503, "refused_behind_owner");

        final int status;
        final String tag;

        Outcome(int status, String tag) {
            this.status = status;
            this.tag = tag;
        }
    }
    private static final Logger LOG = Logger.getLogger(AlertIntakeRoute.class);
    /** Thread-safe and reusable: parsers are created per body. */
    private static final JsonFactory JSON = new JsonFactory();

    private final PostedAlertRouter router;
    /** The intake token's bytes, or null when none is configured (OIDC only). */
    private final byte[] intakeToken;
    /**
     * The largest body read (Quarkus' own limit, {@code quarkus.http.limits.max-body-size}). Quarkus answers 413 for
     * a declared Content-Length above it before any route, but a chunked body is bounded only by the body handler
     * that reads it — here, this route — so it is counted as it arrives.
     */
    private final long maxBodyBytes;
    /** Posts by outcome, and the alerts of accepted posts (Alertmanager's alertmanager_alerts_received_total). */
    private final AtomicLong[] posts = new AtomicLong[Outcome.values().length];
    private final AtomicLong alertsAccepted = new AtomicLong();
    /** Posts that arrive while this replica is behind PostgreSQL wait here, their bodies unread, before a refusal. */
    private final CatchUpWait catchUp;

    public AlertIntakeRoute(PostedAlertRouter router, AlertConfig config, MeterRegistry meters,
                            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBodySize) {
        this.router = router;
        this.intakeToken = config.intake().bearerToken().map(s -> s.reveal().getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.maxBodyBytes = maxBodySize.asLongValue();
        for (Outcome o : Outcome.values()) {
            posts[o.ordinal()] = new AtomicLong();
            meters.more().counter("jitsiops_alert_intake_posts_total", Tags.of("outcome", o.tag), posts[o.ordinal()]);
        }
        meters.more().counter("jitsiops_alert_intake_alerts_total", Tags.empty(), alertsAccepted);
        this.catchUp = new CatchUpWait(router::behind, config.intake().maxWait());
        meters.gauge("jitsiops_alert_intake_posts_waiting", catchUp, CatchUpWait::waiting);
        meters.gauge("jitsiops_alert_intake_unwritten", router, PostedAlertRouter::unwritten);
        meters.gauge("jitsiops_alert_intake_held_alerts", router, PostedAlertRouter::held);
        meters.more().counter("jitsiops_alert_intake_alerts_limited_total", Tags.empty(), router, PostedAlertRouter::limitedAlerts);
        meters.more().counter("jitsiops_alert_intake_posts_waited_total", Tags.empty(), catchUp.waited());
    }

    void register(@Observes Router router) {
        // before Quarkus REST's handlers (ROUTE_ORDER_DEFAULT and later), after the HTTP security filters (negative)
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && !type.regionMatches(true, 0, "application/json", 0, 16)) {
            answer(ctx, Outcome.UNSUPPORTED_MEDIA_TYPE, null);
            return;
        }
        if (bearsIntakeToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            readBody(ctx);
            return;
        }
        Uni<SecurityIdentity> deferred = ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred == null) {
            answer(ctx, Outcome.UNAUTHENTICATED, null);
            return;
        }
        // the body is read only once the identity is known; the request waits (paused) meanwhile
        ctx.request().pause();
        deferred.subscribe().with(id -> {
            Outcome refusal = id == null || id.isAnonymous() ? Outcome.UNAUTHENTICATED
                    : id.hasRole(AlertResource.OPERATOR) ? null : Outcome.FORBIDDEN;
            if (refusal == null) {
                readBody(ctx);
            } else {
                ctx.request().resume(); // the unread body is drained and dropped
                answer(ctx, refusal, null);
            }
        }, failure -> {
            ctx.request().resume();
            answer(ctx, Outcome.UNAUTHENTICATED, null);
        });
    }

    private boolean bearsIntakeToken(String authorization) {
        if (intakeToken == null || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8), intakeToken);
    }

    private void readBody(RoutingContext ctx) {
        // while behind, the post waits (its body unread) for the writers to catch up, and is refused only past
        // max-wait: before the body is read, since parsing a batch only to refuse it was most of the CPU of a flood
        catchUp.whenCaughtUp(ctx.vertx(), () -> ctx.response().closed(), () -> read(ctx), () -> {
            ctx.request().resume(); // the unread body is drained and dropped
            if (router.intakeThreadBehind()) {
                answer(ctx, Outcome.REFUSED_INTAKE_QUEUE_FULL, "this replica's intake thread has been behind (its queue half full) for longer than max-wait: post again later");
            } else {
                answer(ctx, Outcome.REFUSED_BEHIND_POSTGRESQL, "this replica has had more than its max-unwritten changes waiting for PostgreSQL for longer than max-wait: post again later");
            }
        });
    }

    private void read(RoutingContext ctx) {
        if (ctx.body().available()) { // a body handler ran before this route (none is installed today)
            Buffer read = ctx.body().buffer();
            take(ctx, read == null ? Buffer.buffer() : read);
            return;
        }
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = { false };
        request.handler(chunk -> {
            if (refused[0]) {
                return; // answered already: the rest is dropped as it arrives
            }
            if (body.length() + (long) chunk.length() > maxBodyBytes) {
                refused[0] = true;
                answer(ctx, Outcome.TOO_LARGE, "the body is larger than " + maxBodyBytes + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> answer(ctx, Outcome.INVALID, "the request body could not be read"));
        request.endHandler(v -> {
            if (!refused[0]) {
                take(ctx, body);
            }
        });
        // Quarkus' router holds a request with a body paused until a handler asks for it
        request.resume();
    }

    private void take(RoutingContext ctx, Buffer body) {
        List<PostableAlert> posted;
        try {
            posted = parse(body);
        } catch (IllegalArgumentException e) {
            answer(ctx, Outcome.INVALID, e.getMessage());
            return;
        }
        for (PostableAlert p : posted) {
            if (p.labels() == null || p.labels().isEmpty()) {
                answer(ctx, Outcome.INVALID, "an alert without labels");
                return;
            }
        }
        try {
            router.route(posted);
        } catch (PostedAlertRouter.UnavailableException e) {
            answer(ctx, switch (e.refusal()) {
                case KAFKA -> Outcome.REFUSED_KAFKA;
                case UNWRITTEN_LIMIT -> Outcome.REFUSED_UNWRITTEN_LIMIT;
                case INTAKE_QUEUE_FULL -> Outcome.REFUSED_INTAKE_QUEUE_FULL;
                case BEHIND_OWNER -> Outcome.REFUSED_BEHIND_OWNER;
            }, e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            answer(ctx, Outcome.INVALID, e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "routing a posted batch of %d alerts failed", posted.size());
            answer(ctx, Outcome.FAILED, "the alerts could not be taken");
            return;
        }
        alertsAccepted.addAndGet(posted.size());
        answer(ctx, Outcome.ACCEPTED, null);
    }

    /** Answers once and counts the outcome; a client gone meanwhile is not an error. */
    private void answer(RoutingContext ctx, Outcome outcome, String error) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        posts[outcome.ordinal()].incrementAndGet();
        response.setStatusCode(outcome.status);
        if (error == null) {
            response.end();
        } else {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("error", error).encode());
        }
    }

    /**
     * Alertmanager's postableAlerts: a JSON array of objects with labels, annotations (string maps), startsAt, endsAt
     * (RFC 3339) and generatorURL; other fields are ignored, as a databind with unknown properties ignored would.
     * Throws IllegalArgumentException (answered 400) for anything else.
     */
    static List<PostableAlert> parse(Buffer body) {
        try (JsonParser p = JSON.createParser(body.getBytes())) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("a JSON array of alerts is required");
            }
            List<PostableAlert> alerts = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NULL) {
                    throw new IllegalArgumentException("an alert without labels");
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("each alert must be a JSON object");
                }
                alerts.add(alert(p));
            }
            return alerts;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) { // not from a byte array; kept for the signature
            throw new IllegalArgumentException("the request body could not be read");
        }
    }

    /**
     * The parser's reused scratch, one per event loop: the label pairs of the alert being read and the pool of label
     * values. Label names need no pool: Jackson's symbol table interns field names.
     */
    private static final class Scratch {
        String[] pairs = new String[32];
        final StringPool values = new StringPool(16_384);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static PostableAlert alert(JsonParser p) throws IOException {
        SortedLabels labels = null;
        String summary = null;
        String description = null;
        Instant startsAt = null;
        Instant endsAt = null;
        String generatorUrl = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken value = p.nextToken();
            switch (field) {
                case "labels" -> labels = labels(p, value);
                case "annotations" -> {
                    // only the annotations an alert keeps are read into strings: no map per alert
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.START_OBJECT) {
                        throw new IllegalArgumentException("annotations must be an object of strings");
                    }
                    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                        String text = scalar(p, p.nextToken(), "annotations");
                        if ("summary".equals(name)) {
                            summary = text;
                        } else if ("description".equals(name)) {
                            description = text;
                        }
                    }
                }
                case "startsAt" -> startsAt = instant(p, value, field);
                case "endsAt" -> endsAt = instant(p, value, field);
                case "generatorURL" -> generatorUrl = scalar(p, value, field);
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("malformed alert object");
        }
        return new PostableAlert(labels, summary, description, startsAt, endsAt, generatorUrl);
    }

    /**
     * The labels straight into the compact form the pipeline keeps ({@link SortedLabels}): the pairs go into the
     * event loop's scratch array, values through its pool, so a posted alert makes no map, no entries and no second
     * copy (the maps and strings of this parse were ~19% of the intake's allocation, JFR session 21). A label
     * whose value is null is left out, as Alertmanager's decoding leaves it empty and removeEmptyLabels drops it.
     */
    private static SortedLabels labels(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("labels must be an object of strings");
        }
        Scratch s = SCRATCH.get();
        String[] pairs = s.pairs;
        int n = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            String text = scalar(p, p.nextToken(), "labels");
            if (text == null) {
                continue;
            }
            if (n == pairs.length) {
                pairs = s.pairs = java.util.Arrays.copyOf(pairs, n * 2);
            }
            pairs[n++] = name;
            pairs[n++] = s.values.intern(text);
        }
        return SortedLabels.ofPairs(pairs, n);
    }

    private static String scalar(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isScalarValue()) {
            throw new IllegalArgumentException(field + " must hold strings");
        }
        return p.getValueAsString();
    }

    private static Instant instant(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) { // epoch seconds, as databind reads them
            BigDecimal seconds = p.getDecimalValue();
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + " must be an RFC 3339 time");
        }
        try {
            return OffsetDateTime.parse(p.getText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an RFC 3339 time");
        }
    }
}
