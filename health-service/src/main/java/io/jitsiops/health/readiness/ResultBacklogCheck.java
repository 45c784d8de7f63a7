package io.jitsiops.health.readiness;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.jitsiops.readiness.BoundedRetryBuffer;
import io.jitsiops.health.service.ResultPipeline;

/**
 * Says what is waiting to be delivered while Kafka or PostgreSQL is away (their own checks say which is
 * down). DOWN once results have had to be dropped and are still piling up, since history is then lost.
 */
@Readiness
@ApplicationScoped
public class ResultBacklogCheck implements HealthCheck {
    private final ResultPipeline pipeline;

    public ResultBacklogCheck(ResultPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public HealthCheckResponse call() {
        return response(pipeline.kafkaBuffer(), pipeline.databaseBuffer());
    }

    static HealthCheckResponse response(BoundedRetryBuffer<?> kafka, BoundedRetryBuffer<?> database) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Check results delivery").up();
        describe(b, "kafka", kafka);
        describe(b, "postgresql", database);
        return b.build();
    }

    private static void describe(HealthCheckResponseBuilder b, String name, BoundedRetryBuffer<?> buffer) {
        b.withData(name + ".backlog", buffer.backlog());
        b.withData(name + ".dropped", buffer.dropped());
        if (buffer.lastError() != null) {
            b.withData(name + ".lastError", buffer.lastError());
            if (buffer.dropped() > 0) {
                b.down();
            }
        }
    }
}
