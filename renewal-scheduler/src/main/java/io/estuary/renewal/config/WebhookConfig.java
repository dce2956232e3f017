package io.estuary.renewal.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code estuary.renewal.webhook.*}: optional HTTP delivery of renewal events; off unless a URL is set. */
@ConfigMapping(prefix = "estuary.renewal.webhook")
public interface WebhookConfig {

    /** Where each event is POSTed as JSON; no URL, no delivery. */
    Optional<URI> url();

    /** Attempts per event, the first included, before it is given up (it stays on the topic for replay). */
    @WithDefault("8")
    int maxAttempts();

    /** Wait before the first retry; doubles (with jitter) up to {@link #maxBackoff()}. */
    @WithDefault("PT1S")
    Duration initialBackoff();

    @WithDefault("PT5M")
    Duration maxBackoff();

    /** How long one attempt may take. */
    @WithDefault("PT10S")
    Duration timeout();
}
