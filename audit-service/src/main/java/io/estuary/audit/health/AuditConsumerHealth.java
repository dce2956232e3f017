package io.estuary.audit.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.estuary.audit.config.AuditConfig;
import io.estuary.audit.messaging.AuditStreamConsumer;

/**
 * Down when the consumer's thread has died (an error it cannot recover from): the store would silently stop growing
 * while the service answered queries, so an orchestrator restarts it and it resumes from the committed offsets.
 */
@Liveness
@Readiness
@ApplicationScoped
public class AuditConsumerHealth implements HealthCheck {
    @Inject
    AuditConfig config;
    @Inject
    AuditStreamConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("audit-consumer");
        if (!config.consumer().enabled()) {
            return response.up().withData("consuming", false).build();
        }
        boolean alive = consumer.isAlive();
        response.status(alive).withData("pending", consumer.pending());
        if (consumer.lastCycle() != null) {
            response.withData("horizon", consumer.lastCycle().toString());
        }
        return response.build();
    }
}
