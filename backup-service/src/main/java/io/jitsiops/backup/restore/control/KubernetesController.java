package io.jitsiops.backup.restore.control;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * A Kubernetes Deployment, stopped by scaling it to 0 and started by scaling it back to the replica count it had.
 * That count is written on the Deployment itself (annotation {@value #REPLICAS_BEFORE_RESTORE}) in the same patch
 * that scales it to 0, so a rollback, or a restore interrupted by a restart of this service, still brings back the
 * original size. Stopping waits until no pod of it is left (files and databases are not in use any more); starting
 * waits until {@code readyReplicas} reaches the count; the own probe is {@code readyReplicas >= replicas > 0}.
 *
 * <p>Least privilege (a Role in the Deployment's namespace, bound to this service's ServiceAccount): API group
 * {@code apps}, resource {@code deployments}, verbs {@code get} and {@code patch} (on the named Deployments only,
 * with {@code resourceNames}). Nothing else is read or written: no list, watch, pods or scale subresource.
 */
public final class KubernetesController implements ServiceController {
    public static final String REPLICAS_BEFORE_RESTORE = "jitsi-ops.io/replicas-before-restore";
    private final String name;
    private final KubernetesClient client;
    private final String namespace;
    private final String deployment;
    private final Duration timeout;
    private final Duration poll;

    public KubernetesController(String name, KubernetesClient client, String namespace, String deployment, Duration timeout,
                                Duration poll) {
        this.name = name;
        this.client = client;
        this.namespace = namespace == null ? client.getNamespace() : namespace;
        this.deployment = deployment;
        this.timeout = timeout;
        this.poll = poll;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "Kubernetes Deployment " + where();
    }

    @Override
    public void stop() throws IOException {
        Deployment d = get();
        int replicas = replicas(d);
        if (replicas > 0) {
            patch(PatchType.JSON_MERGE, "{\"metadata\":{\"annotations\":{\"" + REPLICAS_BEFORE_RESTORE + "\":\"" + replicas + "\"}},"
                    + "\"spec\":{\"replicas\":0}}");
        } // already at 0 (an earlier restore stopped it): its annotation, if any, still holds the count
        await("no pod left", x -> x.getStatus() == null || orZero(x.getStatus().getReplicas()) == 0);
    }

    @Override
    public void start() throws IOException {
        Deployment d = get();
        int target = original(d);
        // a JSON patch (RFC 6902), one request: the count back and the annotation removed when it is there (a JSON
        // merge patch's null would do the same on an API server, but a "remove" of an absent key is refused)
        String remove = annotated(d) ? "{\"op\":\"remove\",\"path\":\"/metadata/annotations/"
                + REPLICAS_BEFORE_RESTORE.replace("~", "~0").replace("/", "~1") + "\"}," : "";
        patch(PatchType.JSON, "[" + remove + "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":" + target + "}]");
        await(target + " ready replicas", x -> x.getStatus() != null && orZero(x.getStatus().getReadyReplicas()) >= target);
    }

    @Override
    public void probe() throws IOException {
        Deployment d = get();
        int want = replicas(d);
        int ready = d.getStatus() == null ? 0 : orZero(d.getStatus().getReadyReplicas());
        if (want == 0) {
            throw new IOException(describe() + " is scaled to 0");
        }
        if (ready < want) {
            throw new IOException(describe() + ": " + ready + " of " + want + " replicas ready");
        }
    }

    /** The replica count to come back to: the annotation written when it was scaled to 0, else its count, at least 1. */
    static int original(Deployment d) {
        Map<String, String> annotations = d.getMetadata().getAnnotations();
        String before = annotations == null ? null : annotations.get(REPLICAS_BEFORE_RESTORE);
        if (before != null) {
            try {
                return Math.max(1, Integer.parseInt(before.trim()));
            } catch (NumberFormatException e) {
                // an edited annotation: fall through to the spec
            }
        }
        return Math.max(1, replicas(d));
    }

    private static int replicas(Deployment d) {
        return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private String where() {
        return namespace + "/" + deployment;
    }

    private Deployment get() throws IOException {
        try {
            Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
            if (d == null) {
                throw new IOException(describe() + " does not exist");
            }
            return d;
        } catch (KubernetesClientException e) {
            throw new IOException(describe() + ": " + reason(e), e);
        }
    }

    private static boolean annotated(Deployment d) {
        return d.getMetadata().getAnnotations() != null && d.getMetadata().getAnnotations().containsKey(REPLICAS_BEFORE_RESTORE);
    }

    private void patch(PatchType type, String patch) throws IOException {
        try {
            client.apps().deployments().inNamespace(namespace).withName(deployment).patch(PatchContext.of(type), patch);
        } catch (KubernetesClientException e) {
            throw new IOException(describe() + ": scaling refused: " + reason(e), e);
        }
    }

    private void await(String what, Predicate<Deployment> done) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        Deployment d = get();
        while (!done.test(d)) {
            if (!Instant.now().isBefore(deadline)) {
                throw new IOException(describe() + ": not " + what + " after " + timeout.toSeconds() + " s (status "
                        + (d.getStatus() == null ? "none" : "replicas " + orZero(d.getStatus().getReplicas()) + ", ready "
                                + orZero(d.getStatus().getReadyReplicas())) + ")");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + describe(), e);
            }
            d = get();
        }
    }

    private static String reason(KubernetesClientException e) {
        return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + (e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : e.getMessage()) : e.getMessage();
    }
}
