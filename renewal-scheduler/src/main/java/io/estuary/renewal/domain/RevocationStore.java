package io.estuary.renewal.domain;

import java.util.List;
import java.util.function.Function;

import io.estuary.contracts.CertificateRevoked;
import io.smallrye.mutiny.Uni;

/** The revocations of tracked certificates, as the database keeps them; repository/ implements it. */
public interface RevocationStore {
    /** The tracked certificate with this serial number (lower-case hex), or null. */
    Uni<TrackedCertificate> certificate(String serialNumber);

    /**
     * In one transaction: records those of {@code revocations} whose certificate is not revoked yet, hands them to
     * {@code publish}, and commits only once that succeeded; a certificate revoked already keeps its first
     * revocation, so revoking twice has no second effect.
     */
    Uni<Revocations> revoke(List<CertificateRevoked> revocations,
            Function<List<CertificateRevoked>, Uni<Void>> publish);

    /** Records revocations read back from the topic; a certificate revoked already keeps the revocation it has. */
    Uni<Void> record(List<CertificateRevoked> revocations);
}
