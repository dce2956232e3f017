package io.estuary.frontend.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.frontend.config.FrontendConfig;
import io.estuary.frontend.tls.EstListenerTrust;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.kafka.warmup.WarmUpTopic;
import io.estuary.pki.ca.EnrollmentRequestId;
import io.estuary.pki.ca.IssuanceWarmUp;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.wire.Base64Body;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.core.Vertx;

/**
 * The frontend's warm-up: besides the CSR checks under every profile, it writes request events and reads the results'
 * JSON, sends the request events around the warm-up topic, and asks its own listener for the CA certificates. No CA
 * of the deployment signs and nothing reaches the service's topics; it ends after {@code estuary.frontend.warm-up} at
 * most (0 skips it).
 */
@Singleton
public class WarmUp extends IssuanceWarmUp {
    /** How long opening a transport, or one round trip on it, may take before the warm-up goes on without it. */
    static final Duration TRANSPORT_TIMEOUT = Duration.ofSeconds(10);

    private final ObjectMapper json;

    @Inject
    public WarmUp(EstLabels labels, ObjectMapper json, FrontendConfig config, TopicFollowers kafka, Vertx vertx,
            HttpServer server, TlsConfigurationRegistry tls,
            @ConfigProperty(name = "quarkus.http.host") String host) {
        this(labels.profiles().values().stream().distinct().toList(), json, config.warmUp(), ROUNDS,
                List.of(new WarmUpTopic(kafka.settings(), TRANSPORT_TIMEOUT), new ListenerRehearsal(vertx, host,
                        server, tls.get(EstListenerTrust.TLS_CONFIGURATION), TRANSPORT_TIMEOUT)));
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
        String csr = Base64Body.compact(der);
        String requestId = EnrollmentRequestId.of("warm-up", "", "simpleenroll", der);
        byte[] request = json.writeValueAsBytes(new CsrSubmitted(requestId, "warm-up", "", "simpleenroll", csr, now));
        byte[] answer = json.writeValueAsBytes(new IssuanceResult(requestId, "warm-up", "",
                IssuanceResult.Outcome.ISSUED, null, "warm-up", "CN=warm-up", UUID.randomUUID().toString(),
                "CN=warm-up", now, now, Base64.getEncoder().encodeToString(der), now));
        json.readValue(answer, IssuanceResult.class);
        return request;
    }
}
