package io.estuary.renewal.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.estuary.contracts.RenewalStatusChanged.Status;
import io.estuary.renewal.domain.CertificateStore;
import io.estuary.renewal.domain.DayCount;
import io.estuary.renewal.domain.LabelCounts;
import io.estuary.renewal.domain.RenewalSchedule;
import io.estuary.renewal.domain.RenewalState;
import io.estuary.renewal.domain.TrackedCertificate;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL access to {@code renewal_certificate}; plain class over a reactive pool so the benchmark can use it too. */
@Singleton
public class CertificateRepository implements CertificateStore {
    static final String COLUMNS = "serial_number, device_id, label, issuer, not_before, not_after, renew_at,"
            + " overdue_at, tracked_at, superseded_by, superseded_at, due_sent_at, overdue_sent_at, expired_sent_at";
    private static final String CURRENT = "superseded_at IS NULL";
    /** Revoked certificates are not renewed: no renewal event is announced for them, and none is listed as late. */
    private static final String NOT_REVOKED = "NOT EXISTS (SELECT 1 FROM renewal_revocation AS r"
            + " WHERE r.serial_number = renewal_certificate.serial_number)";

    private final Pool pool;

    @Inject
    public CertificateRepository(Pool pool) {
        this.pool = pool;
    }

    /** Before Reactive Messaging starts its consumers (LIBRARY_BEFORE), so no issuance arrives ahead of the table. */
    void createSchema(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent startup) {
        RenewalSchema.create(pool).await().indefinitely();
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
     * {@link #track} for several certificates in one transaction and a fixed number of statements whatever the batch
     * size: lock the devices (in a fixed order, so two consumers never wait on each other's locks), insert what is
     * new, read the devices' current certificates, mark the superseded ones. The decisions are those of tracking the
     * certificates one by one in order of device and serial ({@link Supersession#of}).
     *
     * @return how many certificates were new
     */
    @Override
    public Uni<Integer> trackAll(List<TrackedCertificate> certificates, Instant now) {
        if (certificates.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // A redelivered event may come twice in one batch: the first copy counts.
        Map<String, TrackedCertificate> bySerial = new LinkedHashMap<>();
        certificates.stream().sorted(Comparator.comparing(TrackedCertificate::deviceId)
                .thenComparing(TrackedCertificate::serialNumber))
                .forEach(certificate -> bySerial.putIfAbsent(certificate.serialNumber(), certificate));
        List<TrackedCertificate> ordered = List.copyOf(bySerial.values());
        String[] devices = ordered.stream().map(TrackedCertificate::deviceId).distinct().toArray(String[]::new);
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended(device, 0))"
                        + " FROM unnest($1::text[]) WITH ORDINALITY AS locked(device, position) ORDER BY position")
                .execute(Tuple.of(devices))
                .chain(() -> insertNew(connection, ordered, now))
                .chain(inserted -> inserted.isEmpty() ? Uni.createFrom().item(0)
                        : settleSuccessions(connection, ordered, inserted, now)
                                .chain(supersededLabels -> countDevices(connection, ordered, inserted,
                                        supersededLabels))
                                .replaceWith(inserted.size())));
    }

    /**
     * Adds this batch to the devices per label: each new certificate is a current one, each it superseded no longer
     * is. Last in the transaction, so the label rows are held only until the commit; in label order, so two trackers
     * never wait on each other.
     */
    private static Uni<Void> countDevices(SqlConnection connection, List<TrackedCertificate> ordered,
            Set<String> inserted, List<String> supersededLabels) {
        Map<String, Long> change = new TreeMap<>();
        ordered.stream().filter(certificate -> inserted.contains(certificate.serialNumber()))
                .forEach(certificate -> change.merge(certificate.label(), 1L, Long::sum));
        supersededLabels.forEach(label -> change.merge(label, -1L, Long::sum));
        change.values().removeIf(delta -> delta == 0);
        if (change.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("INSERT INTO renewal_label_devices (label, devices)"
                + " SELECT * FROM unnest($1::text[], $2::bigint[]) AS c(label, delta) ORDER BY label"
                + " ON CONFLICT (label) DO UPDATE SET devices = renewal_label_devices.devices + excluded.devices")
                .execute(Tuple.of(change.keySet().toArray(String[]::new), change.values().toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** @return the serials that were not yet tracked */
    private static Uni<Set<String>> insertNew(SqlConnection connection, List<TrackedCertificate> ordered,
            Instant now) {
        int n = ordered.size();
        String[] serials = new String[n];
        String[] devices = new String[n];
        String[] labels = new String[n];
        String[] issuers = new String[n];
        OffsetDateTime[] notBefore = new OffsetDateTime[n];
        OffsetDateTime[] notAfter = new OffsetDateTime[n];
        OffsetDateTime[] renewAt = new OffsetDateTime[n];
        OffsetDateTime[] overdueAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            TrackedCertificate certificate = ordered.get(i);
            RenewalSchedule schedule = certificate.schedule();
            serials[i] = certificate.serialNumber();
            devices[i] = certificate.deviceId();
            labels[i] = certificate.label();
            issuers[i] = certificate.issuer();
            notBefore[i] = utc(schedule.notBefore());
            notAfter[i] = utc(schedule.notAfter());
            renewAt[i] = utc(schedule.renewAt());
            overdueAt[i] = utc(schedule.overdueAt());
        }
        return connection.preparedQuery("INSERT INTO renewal_certificate (serial_number, device_id, label,"
                + " not_before, not_after, renew_at, overdue_at, issuer, tracked_at)"
                + " SELECT *, $9::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[],"
                + " $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::text[])"
                + " ON CONFLICT (serial_number) DO NOTHING RETURNING serial_number")
                .execute(Tuple.from(List.of(serials, devices, labels, notBefore, notAfter, renewAt, overdueAt,
                        issuers, utc(now))))
                .map(rows -> {
                    Set<String> inserted = new HashSet<>();
                    for (Row row : rows) {
                        inserted.add(row.getString(0));
                    }
                    return inserted;
                });
    }

    /** @return the label of each certificate it marked superseded */
    private static Uni<List<String>> settleSuccessions(SqlConnection connection, List<TrackedCertificate> ordered,
            Set<String> inserted, Instant now) {
        List<Supersession.Current> added = ordered.stream()
                .filter(certificate -> inserted.contains(certificate.serialNumber()))
                .map(certificate -> new Supersession.Current(certificate.serialNumber(), certificate.deviceId(),
                        certificate.schedule().notBefore()))
                .toList();
        String[] devices = added.stream().map(Supersession.Current::deviceId).distinct().toArray(String[]::new);
        return connection.preparedQuery("SELECT serial_number, device_id, not_before FROM renewal_certificate"
                + " WHERE device_id = ANY($1) AND " + CURRENT + " ORDER BY device_id, not_before, serial_number")
                .execute(Tuple.of(devices))
                .chain(rows -> {
                    List<Supersession.Current> existing = new ArrayList<>();
                    for (Row row : rows) {
                        String serial = row.getString("serial_number");
                        if (!inserted.contains(serial)) {
                            existing.add(new Supersession.Current(serial, row.getString("device_id"),
                                    instant(row.getOffsetDateTime("not_before"))));
                        }
                    }
                    List<Supersession> supersessions = Supersession.of(existing, added);
                    if (supersessions.isEmpty()) {
                        return Uni.createFrom().item(List.<String>of());
                    }
                    return connection.preparedQuery("UPDATE renewal_certificate AS c SET superseded_by = s.newer,"
                            + " superseded_at = $3 FROM unnest($1::text[], $2::text[]) AS s(older, newer)"
                            + " WHERE c.serial_number = s.older AND c." + CURRENT + " RETURNING c.label")
                            .execute(Tuple.of(supersessions.stream().map(Supersession::older).toArray(String[]::new),
                                    supersessions.stream().map(Supersession::newer).toArray(String[]::new),
                                    utc(now)))
                            .map(updated -> {
                                List<String> labels = new ArrayList<>();
                                for (Row row : updated) {
                                    labels.add(row.getString(0));
                                }
                                return labels;
                            });
                });
    }

    /**
     * In one transaction: locks up to {@code limit} current certificates that have reached {@code status} and whose
     * event was not yet published (rows another replica holds are skipped, not waited for), hands them to
     * {@code publish}, and only when that succeeded marks them sent. If publishing fails the transaction rolls back
     * and the next scan tries again; a crash after publishing but before commit republishes them with the same event
     * ids. The order DUE, OVERDUE, EXPIRED is kept by requiring the previous event's mark.
     */
    @Override
    public Uni<List<TrackedCertificate>> claimAndPublish(Status status, Instant now, int limit,
            Function<List<TrackedCertificate>, Uni<Void>> publish) {
        String pending = switch (status) {
            case DUE -> "due_sent_at IS NULL AND renew_at <= $1 ORDER BY renew_at";
            case OVERDUE -> "overdue_sent_at IS NULL AND due_sent_at IS NOT NULL AND overdue_at <= $1 ORDER BY overdue_at";
            case EXPIRED -> "expired_sent_at IS NULL AND overdue_sent_at IS NOT NULL AND not_after <= $1 ORDER BY not_after";
        };
        String mark = status.name().toLowerCase(java.util.Locale.ROOT) + "_sent_at";
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT " + COLUMNS + " FROM renewal_certificate WHERE " + CURRENT + " AND "
                        + NOT_REVOKED + " AND " + pending + " LIMIT $2 FOR UPDATE SKIP LOCKED")
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

    @Override
    public Uni<TrackedCertificate> current(String deviceId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM renewal_certificate WHERE device_id = $1 AND "
                + CURRENT + " ORDER BY not_before DESC LIMIT 1").execute(Tuple.of(deviceId))
                .map(rows -> certificates(rows).stream().findFirst().orElse(null));
    }

    /** Every certificate issued to the device, newest first. */
    @Override
    public Uni<List<TrackedCertificate>> history(String deviceId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM renewal_certificate WHERE device_id = $1"
                + " ORDER BY not_before DESC").execute(Tuple.of(deviceId)).map(CertificateRepository::certificates);
    }

    /** Current certificates whose renewal point is at or before {@code until}, soonest first. */
    @Override
    public Uni<List<TrackedCertificate>> renewalDueBy(Instant until, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM renewal_certificate WHERE " + CURRENT + " AND "
                + NOT_REVOKED + " AND renew_at <= $1 ORDER BY renew_at, serial_number LIMIT $2")
                .execute(Tuple.of(utc(until), limit)).map(CertificateRepository::certificates);
    }

    /**
     * Current certificates in {@code state} at {@code now} (DUE, OVERDUE or EXPIRED), optionally of one label, a page
     * of them: due ones soonest to become overdue first, overdue ones soonest to expire first, expired ones most
     * recent first. The states do not overlap: an overdue device is not listed as due. Each order walks an index from
     * {@code now} outwards, so the first rows it meets are the ones in the state (ordering due ones by renew_at would
     * first walk past every overdue and expired certificate).
     */
    @Override
    public Uni<List<TrackedCertificate>> inState(RenewalState state, String label, Instant now, long offset,
            int limit) {
        String condition = switch (state) {
            case DUE -> "overdue_at > $1 AND renew_at <= $1 AND not_after > $1 ORDER BY overdue_at";
            case OVERDUE -> "not_after > $1 AND overdue_at <= $1 ORDER BY not_after";
            case EXPIRED -> "not_after <= $1 ORDER BY not_after DESC";
            default -> throw new IllegalArgumentException("not a listable state: " + state);
        };
        String byLabel = label == null ? "" : " AND label = $4";
        String sql = "SELECT " + COLUMNS + " FROM renewal_certificate WHERE " + CURRENT + " AND " + NOT_REVOKED
                + byLabel + " AND " + condition + ", serial_number LIMIT $2 OFFSET $3";
        Tuple parameters = Tuple.of(utc(now), limit, offset);
        if (label != null) {
            parameters.addString(label);
        }
        return pool.preparedQuery(sql).execute(parameters).map(CertificateRepository::certificates);
    }

    /**
     * Devices per label and how many are due, overdue, expired at {@code now}. The devices come from the counts the
     * tracker keeps; the states from the current-certificate indexes, over the certificates past their renewal point
     * only (each late state is), so the cost follows how many are late, not the size of the fleet.
     */
    @Override
    public Uni<List<LabelCounts>> countsByLabel(Instant now) {
        // One statement, so the devices and the late states are read in one snapshot.
        return pool.preparedQuery("SELECT coalesce(d.label, l.label) AS label, coalesce(d.devices, 0) AS tracked,"
                + " coalesce(l.due, 0) AS due, coalesce(l.overdue, 0) AS overdue, coalesce(l.expired, 0) AS expired"
                + " FROM (SELECT label, devices FROM renewal_label_devices WHERE devices > 0) AS d FULL JOIN"
                + " (SELECT label,"
                + " count(*) FILTER (WHERE renew_at <= $1 AND overdue_at > $1 AND not_after > $1) AS due,"
                + " count(*) FILTER (WHERE overdue_at <= $1 AND not_after > $1) AS overdue,"
                + " count(*) FILTER (WHERE not_after <= $1) AS expired"
                + " FROM renewal_certificate WHERE " + CURRENT
                + " AND (renew_at <= $1 OR overdue_at <= $1 OR not_after <= $1) GROUP BY label) AS l"
                + " ON d.label = l.label ORDER BY 1")
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

    /**
     * Counted over the range of the current-certificate index on not_after, so the cost follows how many expire in
     * the window, not the size of the fleet.
     */
    @Override
    public Uni<List<DayCount>> expiriesPerDay(Instant from, Instant until) {
        return pool.preparedQuery("SELECT (not_after AT TIME ZONE 'UTC')::date AS day, count(*) AS expiring"
                + " FROM renewal_certificate WHERE " + CURRENT + " AND " + NOT_REVOKED
                + " AND not_after > $1 AND not_after <= $2 GROUP BY 1 ORDER BY 1")
                .execute(Tuple.of(utc(from), utc(until)))
                .map(rows -> {
                    List<DayCount> days = new ArrayList<>();
                    for (Row row : rows) {
                        days.add(new DayCount(row.getLocalDate("day"), row.getLong("expiring")));
                    }
                    return days;
                });
    }

    static List<TrackedCertificate> certificates(RowSet<Row> rows) {
        List<TrackedCertificate> certificates = new ArrayList<>(rows.size());
        for (Row row : rows) {
            certificates.add(new TrackedCertificate(row.getString("serial_number"), row.getString("device_id"),
                    row.getString("label"), row.getString("issuer"),
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

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
