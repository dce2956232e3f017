package io.estuary.signer.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.kafka.warmup.WarmUpTopic;
import io.estuary.pki.ca.IssuanceWarmUp;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.wire.Base64Body;
import io.estuary.signer.config.SignerConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The signer's warm-up: besides checking CSRs and signing certificates under every profile, it reads request events
 * and writes the results' JSON, and sends the results around the warm-up topic. The token's CA signs nothing and
 * nothing reaches the service's topics; it ends after {@code estuary.signer.warm-up} at most (0 skips it).
 */
@Singleton
public class WarmUp extends IssuanceWarmUp {
    /** How long opening the Kafka clients, or one round trip, may take before the warm-up goes on without them. */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private final ObjectMapper json;

    @Inject
    public WarmUp(EstLabels labels, ObjectMapper json, SignerConfig config, TopicFollowers kafka) {
        this(labels.profiles().values().stream().distinct().toList(), json, config.warmUp(), ROUNDS,
                List.of(new WarmUpTopic(kafka.settings(), KAFKA_TIMEOUT)));
    }

    public WarmUp(Collection<CertificateProfile> profiles, ObjectMapper json, Duration limit, int rounds,
            List<? extends Transport> transports) {
        super(profiles, limit, rounds, transports);
        this.json = json;
    }

    void onStartup(@Observes StartupEvent event) {
        start();
    }

    @Override
    protected byte[] rehearseEvents(byte[] der, Instant now) throws java.io.IOException {
        String requestId = UUID.randomUUID().toString();
        byte[] request = json.writeValueAsBytes(new CsrSubmitted(requestId, "warm-up", "", "simpleenroll",
                Base64Body.compact(der), now));
        json.readValue(request, CsrSubmitted.class);
        return json.writeValueAsBytes(new IssuanceResult(requestId, "warm-up", "", IssuanceResult.Outcome.ISSUED,
                null, "warm-up", "CN=warm-up", requestId, "CN=warm-up", now, now,
                Base64.getEncoder().encodeToString(der), now));
    }
}
