package io.estuary.frontend.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.estuary.contracts.AuthenticationFailed;
import io.estuary.contracts.Channels;
import io.estuary.frontend.service.AuthFailurePublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes failed authentications keyed by source address, as the contract says. */
@ApplicationScoped
public class KafkaAuthFailurePublisher implements AuthFailurePublisher {
    @Inject
    @Channel(Channels.AUTH_FAILURES)
    MutinyEmitter<AuthenticationFailed> emitter;

    @Override
    public Uni<Void> publish(AuthenticationFailed event) {
        return emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.sourceAddress()).build()));
    }
}
