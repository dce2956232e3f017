package io.estuary.renewal.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.RevocationReason;
import io.estuary.renewal.domain.RevocationStore;
import io.estuary.renewal.domain.Revocations;
import io.estuary.renewal.domain.TrackedCertificate;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL access to {@code renewal_revocation} (its schema is {@link RenewalSchema}'s). */
@Singleton
public class RevocationRepository implements RevocationStore {
    private static final String INSERT = "INSERT INTO renewal_revocation (serial_number, issuer, device_id, reason,"
            + " invalidity_date, revoked_at, revoked_by) SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
            + " $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[])"
            + " ON CONFLICT (serial_number, issuer) DO NOTHING RETURNING serial_number, issuer";

    private final Pool pool;

    @Inject
    public RevocationRepository(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<TrackedCertificate> certificate(String serialNumber) {
        return pool.preparedQuery("SELECT " + CertificateRepository.COLUMNS
                + " FROM renewal_certificate WHERE serial_number = $1").execute(Tuple.of(serialNumber))
                .map(rows -> CertificateRepository.certificates(rows).stream().findFirst().orElse(null));
    }

    /**
     * The insert waits for a concurrent transaction that inserts the same certificate's revocation and then does
     * nothing: of two operators revoking at once, one publishes and the other gets the first's revocation back.
     */
    @Override
    public Uni<Revocations> revoke(List<CertificateRevoked> revocations,
            Function<List<CertificateRevoked>, Uni<Void>> publish) {
        return pool.withTransaction(connection -> insert(connection, revocations).chain(inserted -> {
            List<CertificateRevoked> added = revocations.stream().filter(r -> inserted.contains(r.key())).toList();
            Uni<Void> published = added.isEmpty() ? Uni.createFrom().voidItem() : publish.apply(added);
            return published.chain(() -> existing(connection, revocations.stream()
                    .filter(r -> !inserted.contains(r.key())).toList()))
                    .map(existing -> new Revocations(added, existing));
        }));
    }

    @Override
    public Uni<Void> record(List<CertificateRevoked> revocations) {
        return revocations.isEmpty() ? Uni.createFrom().voidItem()
                : pool.withTransaction(connection -> insert(connection, revocations)).replaceWithVoid();
    }

    /** @return the keys of the revocations inserted */
    private static Uni<Set<String>> insert(SqlClient connection, List<CertificateRevoked> revocations) {
        int n = revocations.size();
        String[] serials = new String[n];
        String[] issuers = new String[n];
        String[] devices = new String[n];
        String[] reasons = new String[n];
        OffsetDateTime[] invalidity = new OffsetDateTime[n];
        OffsetDateTime[] revokedAt = new OffsetDateTime[n];
        String[] revokedBy = new String[n];
        for (int i = 0; i < n; i++) {
            CertificateRevoked revocation = revocations.get(i);
            serials[i] = revocation.serialNumber();
            issuers[i] = revocation.issuer();
            devices[i] = revocation.deviceId();
            reasons[i] = revocation.reason().name();
            invalidity[i] = revocation.invalidityDate() == null ? null
                    : CertificateRepository.utc(revocation.invalidityDate());
            revokedAt[i] = CertificateRepository.utc(revocation.revokedAt());
            revokedBy[i] = revocation.revokedBy();
        }
        return connection.preparedQuery(INSERT)
                .execute(Tuple.from(List.of(serials, issuers, devices, reasons, invalidity, revokedAt, revokedBy)))
                .map(rows -> {
                    Set<String> inserted = new HashSet<>();
                    for (Row row : rows) {
                        inserted.add(CertificateRevoked.keyOf(row.getString("issuer"), row.getString("serial_number")));
                    }
                    return inserted;
                });
    }

    private static Uni<List<CertificateRevoked>> existing(SqlClient connection, List<CertificateRevoked> wanted) {
        if (wanted.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery("SELECT serial_number, issuer, device_id, reason, invalidity_date,"
                + " revoked_at, revoked_by FROM renewal_revocation WHERE (serial_number, issuer) IN"
                + " (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY revoked_at, serial_number")
                .execute(Tuple.of(wanted.stream().map(CertificateRevoked::serialNumber).toArray(String[]::new),
                        wanted.stream().map(CertificateRevoked::issuer).toArray(String[]::new)))
                .map(rows -> {
                    List<CertificateRevoked> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(new CertificateRevoked(row.getString("issuer"), row.getString("serial_number"),
                                row.getString("device_id"), RevocationReason.valueOf(row.getString("reason")),
                                CertificateRepository.instant(row.getOffsetDateTime("invalidity_date")),
                                CertificateRepository.instant(row.getOffsetDateTime("revoked_at")),
                                row.getString("revoked_by")));
                    }
                    return found;
                });
    }
}
