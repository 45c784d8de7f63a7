package io.jitsiops.readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.mutiny.Uni;

/**
 * Bounds one dependency check: a probe that does not answer within {@code timeout} is reported DOWN at once,
 * with the last time the dependency was seen up, so that {@code /q/health/ready} always answers quickly (a
 * kubelet or mesh probe gives up after a second or two and would otherwise restart or evict a healthy pod).
 */
final class ReadinessBound {
    private final String name;
    private final Duration timeout;
    private final AtomicReference<Instant> lastUp = new AtomicReference<>();

    ReadinessBound(String name, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
    }

    /** {@code probe} yields data to show when the dependency answered (e.g. the broker list). */
    Uni<HealthCheckResponse> check(java.util.function.Supplier<Uni<String>> probe, String dataKey) {
        return Uni.createFrom().<String>deferred(probe::get)
                .ifNoItem().after(timeout).failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer within " + timeout.toMillis() + " ms"))
                .map(data -> {
                    lastUp.set(Instant.now());
                    return HealthCheckResponse.named(name).up().withData(dataKey, data).build();
                })
                .onFailure().recoverWithItem(this::down);
    }

    private HealthCheckResponse down(Throwable failure) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name).down()
                .withData("reason", failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        Instant up = lastUp.get();
        b.withData("lastUp", up == null ? "never since start" : up.toString());
        return b.build();
    }
}
