package io.estuary.signer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.EventReader;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.signer.service.CrlService;
import io.quarkus.runtime.StartupEvent;

/**
 * Every revocation, read from the start of the compacted revocation topic and followed, into the CRLs. Once it has
 * read the revocations published before the signer started, the CRLs go out.
 */
@ApplicationScoped
public class RevocationReader {
    @Inject
    TopicFollowers followers;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    CrlService crls;

    void start(@Observes StartupEvent event) {
        EventReader reader = new EventReader(objectMapper, crls::caughtUp)
                .on(Topics.REVOCATIONS, CertificateRevoked.class, crls::revoked);
        followers.follow("crl-revocation-reader", reader.subscription(), reader);
    }
}
