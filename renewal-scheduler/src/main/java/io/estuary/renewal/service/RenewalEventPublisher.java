package io.estuary.renewal.service;

import java.util.List;

import io.estuary.contracts.RenewalStatusChanged;
import io.smallrye.mutiny.Uni;

/** Where renewal events go; completes only once every event is acknowledged (e.g. by all in-sync Kafka replicas). */
public interface RenewalEventPublisher {
    Uni<Void> publish(List<RenewalStatusChanged> events);
}
