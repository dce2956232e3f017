package io.estuary.renewal.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.renewal.domain.CertificateStore;
import io.estuary.renewal.domain.RevocationOrder;
import io.estuary.renewal.domain.RevocationStore;
import io.estuary.renewal.domain.Revocations;
import io.estuary.renewal.domain.TrackedCertificate;
import io.estuary.renewal.domain.UnknownCertificateException;
import io.smallrye.mutiny.Uni;

/**
 * Revokes tracked certificates: records each revocation and publishes it in one step, so that a certificate is revoked
 * once whatever the operator repeats; and records the revocations the topic carries, which rebuilds them in a replay.
 */
@ApplicationScoped
public class RevocationService {
    private final CertificateStore certificates;
    private final RevocationStore store;
    private final RevocationPublisher publisher;
    private final Clock clock;

    @Inject
    public RevocationService(CertificateStore certificates, RevocationStore store, RevocationPublisher publisher,
            Clock clock) {
        this.certificates = certificates;
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * @param order    the checked request
     * @param operator who asks (the bearer token's user)
     * @throws UnknownCertificateException (in the Uni) when no tracked certificate matches
     */
    public Uni<Revocations> revoke(RevocationOrder order, String operator) {
        Instant now = clock.instant();
        Uni<List<TrackedCertificate>> targets = order.byDevice() ? unexpiredOf(order.deviceId(), now)
                : store.certificate(order.serialNumber()).map(certificate -> {
                    if (certificate == null || !order.issuedBy(certificate.issuer())) {
                        throw new UnknownCertificateException("no certificate with serial number "
                                + order.serialNumber() + " from issuer '" + order.issuer().getName()
                                + "' was issued");
                    }
                    return List.of(certificate);
                });
        return targets.chain(certificates -> store.revoke(certificates.stream()
                .map(c -> new CertificateRevoked(c.issuer() != null ? c.issuer() : order.issuer().getName(),
                        c.serialNumber(), c.deviceId(), order.reason(), order.invalidityDate(), now, operator))
                .toList(), publisher::publish));
    }

    /** Records revocations read from the topic. */
    public Uni<Void> record(List<CertificateRevoked> revocations) {
        return store.record(revocations);
    }

    /**
     * Everything of the device a relying party could still accept: superseded certificates too, since a newer one
     * does not end an older one's validity. Certificates tracked before issuers were recorded cannot be named in a
     * revocation and are left to be revoked by issuer and serial number.
     */
    private Uni<List<TrackedCertificate>> unexpiredOf(String deviceId, Instant now) {
        return certificates.history(deviceId).map(history -> {
            List<TrackedCertificate> unexpired = history.stream()
                    .filter(c -> c.schedule().notAfter().isAfter(now) && c.issuer() != null).toList();
            if (unexpired.isEmpty()) {
                throw new UnknownCertificateException("no unexpired certificate is tracked for device " + deviceId);
            }
            return unexpired;
        });
    }
}
