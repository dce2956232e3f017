package io.estuary.renewal.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.estuary.contracts.RenewalStatusChanged.Status;
import io.estuary.renewal.service.RenewalSchedule;
import io.estuary.renewal.service.RenewalState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL access to {@code renewal_certificate}; plain class over a reactive pool so the benchmark can use it too. */
@Singleton
public class CertificateRepository {
    private static final String COLUMNS = "serial_number, device_id, label, not_before, not_after, renew_at,"
            + " overdue_at, tracked_at, superseded_by, superseded_at, due_sent_at, overdue_sent_at, expired_sent_at";
    private static final String CURRENT = "superseded_at IS NULL";

    private final Pool pool;

    @Inject
    public CertificateRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records a newly issued certificate. A redelivered event changes nothing (the serial is the key). The newer
     * certificate of a device, by notBefore, is its current one; the other is marked superseded. A per-device
     * advisory lock keeps two consumers (the results topic is keyed by requester, not device) from both deciding.
     *
     * @return false if the certificate was already known
     */
    public Uni<Boolean> track(TrackedCertificate certificate, Instant now) {
        return trackAll(List.of(certificate), now).map(added -> added == 1);
    }

    /**
     * {@link #track} for several certificates in one transaction (one commit for a batch of events rather than one
     * each); devices are locked in a fixed order, so two consumers never wait on each other's locks.
     *
     * @return how many certificates were new
     */
    public Uni<Integer> trackAll(List<TrackedCertificate> certificates, Instant now) {
        if (certificates.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<TrackedCertificate> ordered = certificates.stream()
                .sorted(java.util.Comparator.comparing(TrackedCertificate::deviceId)
                        .thenComparing(TrackedCertificate::serialNumber))
                .toList();
        return pool.withTransaction(connection -> {
            Uni<Integer> added = Uni.createFrom().item(0);
            for (TrackedCertificate certificate : ordered) {
                added = added.chain(sum -> trackIn(connection, certificate, now).map(isNew -> isNew ? sum + 1 : sum));
            }
            return added;
        });
    }

    private static Uni<Boolean> trackIn(SqlConnection connection, TrackedCertificate certificate, Instant now) {
        RenewalSchedule schedule = certificate.schedule();
        return connection
                .preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of(certificate.deviceId()))
                .chain(() -> connection.preparedQuery("INSERT INTO renewal_certificate (serial_number, device_id,"
                        + " label, not_before, not_after, renew_at, overdue_at, tracked_at)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (serial_number) DO NOTHING")
                        .execute(Tuple.from(List.of(certificate.serialNumber(), certificate.deviceId(),
                                certificate.label(), utc(schedule.notBefore()), utc(schedule.notAfter()),
                                utc(schedule.renewAt()), utc(schedule.overdueAt()), utc(now)))))
                .chain(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(false)
                        : settleSuccession(connection, certificate, now).replaceWith(true));
    }

    private static Uni<Void> settleSuccession(SqlConnection connection, TrackedCertificate added, Instant now) {
        return connection.preparedQuery("SELECT serial_number, not_before FROM renewal_certificate"
                + " WHERE device_id = $1 AND " + CURRENT + " AND serial_number <> $2")
                .execute(Tuple.of(added.deviceId(), added.serialNumber()))
                .chain(rows -> {
                    Uni<?> chain = Uni.createFrom().voidItem();
                    for (Row other : rows) {
                        String otherSerial = other.getString("serial_number");
                        boolean addedIsNewer = added.schedule().notBefore()
                                .isAfter(instant(other.getOffsetDateTime("not_before")));
                        String older = addedIsNewer ? otherSerial : added.serialNumber();
                        String newer = addedIsNewer ? added.serialNumber() : otherSerial;
                        chain = chain.chain(() -> connection.preparedQuery("UPDATE renewal_certificate"
                                + " SET superseded_by = $2, superseded_at = $3 WHERE serial_number = $1 AND " + CURRENT)
                                .execute(Tuple.of(older, newer, utc(now))));
                    }
                    return chain.replaceWithVoid();
                });
    }

    /**
     * In one transaction: locks up to {@code limit} current certificates that have reached {@code status} and whose
     * event was not yet published (rows another replica holds are skipped, not waited for), hands them to
     * {@code publish}, and only when that succeeded marks them sent. If publishing fails the transaction rolls back
     * and the next scan tries again; a crash after publishing but before commit republishes them with the same event
     * ids. The order DUE, OVERDUE, EXPIRED is kept by requiring the previous event's mark.
     */
    public Uni<List<TrackedCertificate>> claimAndPublish(Status status, Instant now, int limit,
            Function<List<TrackedCertificate>, Uni<Void>> publish) {
        String pending = switch (status) {
            case DUE -> "due_sent_at IS NULL AND renew_at <= $1 ORDER BY renew_at";
            case OVERDUE -> "overdue_sent_at IS NULL AND due_sent_at IS NOT NULL AND overdue_at <= $1 ORDER BY overdue_at";
            case EXPIRED -> "expired_sent_at IS NULL AND overdue_sent_at IS NOT NULL AND not_after <= $1 ORDER BY not_after";
        };
        String mark = status.name().toLowerCase(java.util.Locale.ROOT) + "_sent_at";
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT " + COLUMNS + " FROM renewal_certificate WHERE " + CURRENT + " AND " + pending
                        + " LIMIT $2 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(utc(now), limit))
                .map(CertificateRepository::certificates)
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(claimed)
                        : publish.apply(claimed)
                                .chain(() -> connection.preparedQuery("UPDATE renewal_certificate SET " + mark
                                        + " = $1 WHERE serial_number = ANY($2)")
                                        .execute(Tuple.of(utc(now), claimed.stream()
                                                .map(TrackedCertificate::serialNumber).toArray(String[]::new))))
                                .replaceWith(claimed)));
    }

    public Uni<TrackedCertificate> current(String deviceId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM renewal_certificate WHERE device_id = $1 AND "
                + CURRENT + " ORDER BY not_before DESC LIMIT 1").execute(Tuple.of(deviceId))
                .map(rows -> certificates(rows).stream().findFirst().orElse(null));
    }

    /** Every certificate issued to the device, newest first. */
    public Uni<List<TrackedCertificate>> history(String deviceId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM renewal_certificate WHERE device_id = $1"
                + " ORDER BY not_before DESC").execute(Tuple.of(deviceId)).map(CertificateRepository::certificates);
    }

    /** Current certificates whose renewal point is at or before {@code until}, soonest first. */
    public Uni<List<TrackedCertificate>> renewalDueBy(Instant until, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM renewal_certificate WHERE " + CURRENT
                + " AND renew_at <= $1 ORDER BY renew_at, serial_number LIMIT $2")
                .execute(Tuple.of(utc(until), limit)).map(CertificateRepository::certificates);
    }

    /**
     * Current certificates in {@code state} at {@code now} (DUE, OVERDUE or EXPIRED), optionally of one label, a page
     * of them: due ones soonest to become overdue first, overdue ones soonest to expire first, expired ones most
     * recent first. The states do not overlap: an overdue device is not listed as due. Each order walks an index from
     * {@code now} outwards, so the first rows it meets are the ones in the state (ordering due ones by renew_at would
     * first walk past every overdue and expired certificate).
     */
    public Uni<List<TrackedCertificate>> inState(RenewalState state, String label, Instant now, long offset,
            int limit) {
        String condition = switch (state) {
            case DUE -> "overdue_at > $1 AND renew_at <= $1 AND not_after > $1 ORDER BY overdue_at";
            case OVERDUE -> "not_after > $1 AND overdue_at <= $1 ORDER BY not_after";
            case EXPIRED -> "not_after <= $1 ORDER BY not_after DESC";
            default -> throw new IllegalArgumentException("not a listable state: " + state);
        };
        String byLabel = label == null ? "" : " AND label = $4";
        String sql = "SELECT " + COLUMNS + " FROM renewal_certificate WHERE " + CURRENT + byLabel + " AND "
                + condition + ", serial_number LIMIT $2 OFFSET $3";
        Tuple parameters = Tuple.of(utc(now), limit, offset);
        if (label != null) {
            parameters.addString(label);
        }
        return pool.preparedQuery(sql).execute(parameters).map(CertificateRepository::certificates);
    }

    /** Devices per label and how many are due, overdue, expired at {@code now}: one pass over current rows. */
    public Uni<List<LabelCounts>> countsByLabel(Instant now) {
        return pool.preparedQuery("SELECT label, count(*) AS tracked,"
                + " count(*) FILTER (WHERE renew_at <= $1 AND overdue_at > $1 AND not_after > $1) AS due,"
                + " count(*) FILTER (WHERE overdue_at <= $1 AND not_after > $1) AS overdue,"
                + " count(*) FILTER (WHERE not_after <= $1) AS expired"
                + " FROM renewal_certificate WHERE " + CURRENT + " GROUP BY label ORDER BY label")
                .execute(Tuple.of(utc(now)))
                .map(rows -> {
                    List<LabelCounts> counts = new ArrayList<>();
                    for (Row row : rows) {
                        counts.add(new LabelCounts(row.getString("label"), row.getLong("tracked"), row.getLong("due"),
                                row.getLong("overdue"), row.getLong("expired")));
                    }
                    return counts;
                });
    }

    private static List<TrackedCertificate> certificates(RowSet<Row> rows) {
        List<TrackedCertificate> certificates = new ArrayList<>(rows.size());
        for (Row row : rows) {
            certificates.add(new TrackedCertificate(row.getString("serial_number"), row.getString("device_id"),
                    row.getString("label"),
                    new RenewalSchedule(instant(row.getOffsetDateTime("not_before")),
                            instant(row.getOffsetDateTime("not_after")), instant(row.getOffsetDateTime("renew_at")),
                            instant(row.getOffsetDateTime("overdue_at"))),
                    instant(row.getOffsetDateTime("tracked_at")), row.getString("superseded_by"),
                    instant(row.getOffsetDateTime("superseded_at")), instant(row.getOffsetDateTime("due_sent_at")),
                    instant(row.getOffsetDateTime("overdue_sent_at")),
                    instant(row.getOffsetDateTime("expired_sent_at"))));
        }
        return certificates;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
