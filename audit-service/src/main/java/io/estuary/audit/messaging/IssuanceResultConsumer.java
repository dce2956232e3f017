package io.estuary.audit.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.estuary.audit.repository.IssuanceRecord;
import io.estuary.audit.repository.IssuanceRecordRepository;
import io.estuary.contracts.Channels;
import io.estuary.contracts.IssuanceResult;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Records every signer decision once: a redelivered event finds its row and is not recorded again. */
@ApplicationScoped
public class IssuanceResultConsumer {
    private static final Logger LOG = Logger.getLogger(IssuanceResultConsumer.class);

    @Inject
    IssuanceRecordRepository repository;

    @Incoming(Channels.ISSUANCE_RESULTS)
    @WithTransaction
    public Uni<Void> record(IssuanceResult result) {
        if (result == null || result.requestId() == null) {
            LOG.warn("skipped an issuance event that could not be read");
            return Uni.createFrom().voidItem();
        }
        return repository.findByRequestId(result.requestId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            return repository.persist(IssuanceRecord.of(result, Instant.now())).replaceWithVoid();
        });
    }
}
