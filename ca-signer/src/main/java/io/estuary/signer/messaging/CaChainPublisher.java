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
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes each CA's chain (public certificates only) whenever the signer (re)loads its CAs. */
@ApplicationScoped
public class CaChainPublisher {
    private static final Logger LOG = Logger.getLogger(CaChainPublisher.class);

    @Inject
    @Channel(Channels.CA_CHAINS)
    MutinyEmitter<CaChainPublished> emitter;

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
