package io.estuary.kafka.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.estuary.kafka.tracing.RecordTracing;
import io.opentelemetry.api.OpenTelemetry;

/**
 * The service's {@link RecordTracing}: traced with the service's OpenTelemetry when the quarkus-opentelemetry SDK is
 * enabled ({@code quarkus.otel.sdk.disabled=false}), else {@link RecordTracing#OFF}.
 */
@ApplicationScoped
public class KafkaTracing {
    @Produces
    @Singleton
    RecordTracing recordTracing(
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean disabled,
            Instance<OpenTelemetry> openTelemetry) {
        if (disabled || !openTelemetry.isResolvable()) {
            return RecordTracing.OFF;
        }
        return new RecordTracing(openTelemetry.get().getTracer("io.estuary"));
    }
}
