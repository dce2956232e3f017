package io.estuary.audit.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.estuary.audit.repository.AuditRecord;
import io.estuary.audit.repository.AuditRecordRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Recomputes the whole chain from the database, a page at a time, and reports the first broken link. */
@ApplicationScoped
public class ChainVerificationService {
    static final int PAGE_SIZE = 1000;
    private static final AuditQuery EVERYTHING = new AuditQuery(null, null, null, null, null, null, null);

    @Inject
    AuditRecordRepository records;

    public Uni<ChainVerification> verify() {
        return verifyAfter(new ChainVerifier(), 0);
    }

    private Uni<ChainVerification> verifyAfter(ChainVerifier verifier, long after) {
        return Panache.withSession(() -> records.page(EVERYTHING, after, PAGE_SIZE)).chain(page -> {
            for (AuditRecord record : page) {
                if (!verifier.accept(record.toChainedEntry())) {
                    return Uni.createFrom().item(verifier.result());
                }
            }
            if (page.size() < PAGE_SIZE) {
                return Uni.createFrom().item(verifier.result());
            }
            return verifyAfter(verifier, last(page).sequence);
        });
    }

    private static AuditRecord last(List<AuditRecord> page) {
        return page.get(page.size() - 1);
    }
}
