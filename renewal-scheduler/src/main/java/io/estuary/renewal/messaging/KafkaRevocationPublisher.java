package io.estuary.renewal.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.Channels;
import io.estuary.renewal.service.RevocationPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes revocations keyed by issuer and serial number: the compacted topic keeps one record per certificate. */
@ApplicationScoped
public class KafkaRevocationPublisher implements RevocationPublisher {
    @Inject
    @Channel(Channels.REVOCATIONS)
    MutinyEmitter<CertificateRevoked> emitter;

    @Override
    public Uni<Void> publish(List<CertificateRevoked> revocations) {
        return Uni.join().all(revocations.stream().map(revocation -> emitter.sendMessage(Message.of(revocation)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(revocation.key()).build())))
                .toList()).andFailFast().replaceWithVoid();
    }
}
