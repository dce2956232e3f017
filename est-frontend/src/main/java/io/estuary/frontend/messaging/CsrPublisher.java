package io.estuary.frontend.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.estuary.contracts.Channels;
import io.estuary.contracts.CsrSubmitted;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes CSR events keyed by requester, so one requester's requests stay in order on one partition. */
@ApplicationScoped
public class CsrPublisher {
    @Inject
    @Channel(Channels.CSR_REQUESTS)
    MutinyEmitter<CsrSubmitted> emitter;

    /** Completes once the broker has acknowledged the event. */
    public Uni<Void> publish(CsrSubmitted event) {
        return emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.requester()).build()));
    }
}
