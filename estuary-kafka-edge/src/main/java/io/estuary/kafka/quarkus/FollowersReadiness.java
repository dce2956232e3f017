package io.estuary.kafka.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.estuary.kafka.follower.FollowerHealth;

/** Ready while every topic follower of the service is following; each one's state, restarts and last failure. */
@Readiness
@ApplicationScoped
public class FollowersReadiness implements HealthCheck {
    @Inject
    TopicFollowers followers;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka-followers");
        boolean up = true;
        for (FollowerHealth health : followers.health()) {
            up &= health.following();
            response.withData(health.name(), health.state() + ", " + health.restarts() + " restarts"
                    + (health.lastFailure() == null ? "" : ", last failure: " + health.lastFailure()));
        }
        return response.status(up).build();
    }
}
