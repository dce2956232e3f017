package io.estuary.signer.messaging;

import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.estuary.contracts.CaChainPublished;
import io.estuary.contracts.Channels;
import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.signer.service.CaChainPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes each CA's chain to the CA chains topic, keyed by the CA's alias, until the brokers acknowledge it: the
 * frontends are not ready before they have every chain, so a signer that started before the topic existed (a fresh
 * cluster whose topics are still being made) must not give up.
 */
@ApplicationScoped
public class KafkaCaChainPublisher implements CaChainPublisher {
    private static final Logger LOG = Logger.getLogger(KafkaCaChainPublisher.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    @Inject
    @Channel(Channels.CA_CHAINS)
    MutinyEmitter<CaChainPublished> emitter;

    @Override
    public void publish(Map<String, CertificateAuthority> authorities) {
        authorities.forEach((alias, ca) -> {
            CaChainPublished event = new CaChainPublished(alias, ca.chain().stream().map(c -> {
                try {
                    return Base64.getEncoder().encodeToString(c.getEncoded());
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException(e);
                }
            }).toList(), Instant.now());
            untilAcknowledged(emitter.sendMessage(Message.of(event).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(alias).build())), alias, FIRST_RETRY)
                    .subscribe().with(ok -> LOG.infof("published the chain of CA '%s'", alias),
                            failure -> LOG.errorf("gave up publishing the chain of CA '%s': %s", alias,
                                    failure.getMessage()));
        });
    }

    /** The send, sent again after each failure (the emitter's send is lazy) with a growing pause, until it succeeds. */
    static Uni<Void> untilAcknowledged(Uni<Void> send, String alias, Duration firstRetry) {
        return send.onFailure().invoke(failure -> LOG.warnf("could not publish the chain of CA '%s' (%s); trying again",
                alias, failure.getMessage()))
                .onFailure().retry().withBackOff(firstRetry, LAST_RETRY).indefinitely();
    }
}
