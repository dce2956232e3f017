package io.estuary.renewal.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.RenewalStatusChanged;
import io.estuary.renewal.config.WebhookConfig;
import io.smallrye.mutiny.Uni;

/**
 * Delivers renewal events to the configured webhook, reading them back from the topic under its own consumer group,
 * so delivery neither slows the scan nor loses events when the receiver is down. Each event is retried with
 * exponential backoff, then given up and logged. At least once: a receiver may see an event again (after a restart
 * mid-delivery) and deduplicates by the {@code X-Estuary-Event-Id} header. Events of one partition wait behind a
 * retried one, which keeps each device's events in order.
 */
@ApplicationScoped
public class RenewalWebhookRelay {
    /** Channel reading {@code estuary.renewal.events} for delivery; internal to this service. */
    public static final String CHANNEL = "renewal-webhook";
    private static final Logger LOG = Logger.getLogger(RenewalWebhookRelay.class);

    /** A failed attempt worth repeating. */
    static final class RetryableFailure extends RuntimeException {
        RetryableFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final WebhookConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    @Inject
    public RenewalWebhookRelay(WebhookConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout())
                .build();
    }

    @Incoming(CHANNEL)
    public Uni<Void> deliver(RenewalStatusChanged event) {
        if (event == null || config.url().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        URI url = config.url().get();
        return attempt(url, event)
                .onFailure(RetryableFailure.class).retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff()).atMost(config.maxAttempts() - 1L)
                .onFailure().recoverWithItem(failure -> {
                    // Refused, or still failing after max-attempts: the event stays on the topic for a replay.
                    LOG.errorf("webhook delivery of %s given up: %s", event.eventId(), failure.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    private Uni<Void> attempt(URI url, RenewalStatusChanged event) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url).timeout(config.timeout())
                    .header("Content-Type", "application/json").header("X-Estuary-Event-Id", event.eventId())
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(event))).build();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .onFailure().transform(failure -> new RetryableFailure("no answer: " + failure, failure))
                .map(response -> {
                    switch (WebhookAnswer.of(response.statusCode())) {
                        case DELIVERED:
                            return null;
                        case RETRY:
                            LOG.warnf("webhook answered %d to %s; will retry", response.statusCode(), event.eventId());
                            throw new RetryableFailure("answered " + response.statusCode(), null);
                        default:
                            throw new IllegalStateException("webhook refused it with " + response.statusCode());
                    }
                });
    }
}
