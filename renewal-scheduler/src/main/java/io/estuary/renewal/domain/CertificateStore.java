package io.estuary.renewal.domain;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.estuary.contracts.RenewalStatusChanged.Status;
import io.smallrye.mutiny.Uni;

/** The tracked certificates of the fleet, as the database keeps them; repository/ implements it. */
public interface CertificateStore {
    /**
     * Records newly issued certificates; one already known changes nothing, and of a device's certificates the newest
     * by notBefore is its current one.
     *
     * @return how many certificates were new
     */
    Uni<Integer> trackAll(List<TrackedCertificate> certificates, Instant now);

    /**
     * Claims up to {@code limit} current certificates that reached {@code status} and whose event was not yet
     * published, hands them to {@code publish}, and marks them sent only once that succeeded.
     *
     * @return the certificates claimed and published
     */
    Uni<List<TrackedCertificate>> claimAndPublish(Status status, Instant now, int limit,
            Function<List<TrackedCertificate>, Uni<Void>> publish);

    /** The device's current certificate, or null. */
    Uni<TrackedCertificate> current(String deviceId);

    /** Every certificate issued to the device, newest first. */
    Uni<List<TrackedCertificate>> history(String deviceId);

    /** Current certificates whose renewal point is at or before {@code until}, soonest first. */
    Uni<List<TrackedCertificate>> renewalDueBy(Instant until, int limit);

    /** A page of the current certificates in {@code state} (DUE, OVERDUE or EXPIRED) at {@code now}. */
    Uni<List<TrackedCertificate>> inState(RenewalState state, String label, Instant now, long offset, int limit);

    /** Devices per label and how many are due, overdue, expired at {@code now}. */
    Uni<List<LabelCounts>> countsByLabel(Instant now);

    /**
     * Per UTC day, how many current, unrevoked certificates expire after {@code from} and at or before {@code until};
     * days with none are left out.
     */
    Uni<List<DayCount>> expiriesPerDay(Instant from, Instant until);
}
