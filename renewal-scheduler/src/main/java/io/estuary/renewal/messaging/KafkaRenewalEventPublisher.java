package io.estuary.renewal.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.estuary.contracts.Channels;
import io.estuary.contracts.RenewalStatusChanged;
import io.estuary.renewal.service.RenewalEventPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes renewal events keyed by device id, so one device's events stay in order on one partition. */
@ApplicationScoped
public class KafkaRenewalEventPublisher implements RenewalEventPublisher {
    @Inject
    @Channel(Channels.RENEWAL_EVENTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
    MutinyEmitter<RenewalStatusChanged> emitter;

    @Override
    public Uni<Void> publish(List<RenewalStatusChanged> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(events.stream().map(event -> emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.deviceId()).build()))).toList())
                .andFailFast().replaceWithVoid();
    }
}
