package io.estuary.signer.messaging;

import java.security.cert.CertificateEncodingException;
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
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes each CA's chain to the CA chains topic, keyed by the CA's alias. */
@ApplicationScoped
public class KafkaCaChainPublisher implements CaChainPublisher {
    private static final Logger LOG = Logger.getLogger(KafkaCaChainPublisher.class);

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
            emitter.sendMessage(Message.of(event).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(alias).build()))
                    .subscribe().with(ok -> LOG.infof("published the chain of CA '%s'", alias),
                            failure -> LOG.errorf("could not publish the chain of CA '%s': %s", alias,
                                    failure.getMessage()));
        });
    }
}
