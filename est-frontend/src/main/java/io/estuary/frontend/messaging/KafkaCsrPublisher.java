package io.estuary.frontend.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.estuary.contracts.Channels;
import io.estuary.contracts.CsrSubmitted;
import io.estuary.frontend.service.CsrPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes CSR events keyed by requester, so one requester's requests stay in order on one partition. */
@ApplicationScoped
public class KafkaCsrPublisher implements CsrPublisher {
    @Inject
    @Channel(Channels.CSR_REQUESTS)
    MutinyEmitter<CsrSubmitted> emitter;

    @Override
    public Uni<Void> publish(CsrSubmitted request) {
        return emitter.sendMessage(Message.of(request).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(request.requester()).build()));
    }
}
