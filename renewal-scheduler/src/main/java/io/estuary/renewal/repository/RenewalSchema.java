package io.estuary.renewal.repository;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The renewal table and its indexes, created if missing. Plain SQL rather than ORM schema generation because the
 * scans rely on partial indexes: each {@code renewal_pending_*} index holds only the certificates still waiting for
 * one event, so it shrinks as events are published and a scan reads only what it will claim.
 */
public final class RenewalSchema {
    /** Serialises concurrent start-ups of several replicas (CREATE ... IF NOT EXISTS races on the catalog). */
    private static final long SCHEMA_LOCK = 0x65737475617279L;

    static final List<String> STATEMENTS = List.of("""
            CREATE TABLE IF NOT EXISTS renewal_certificate (
              serial_number   text PRIMARY KEY,
              device_id       text NOT NULL,
              label           text NOT NULL,
              issuer          text,
              not_before      timestamptz NOT NULL,
              not_after       timestamptz NOT NULL,
              renew_at        timestamptz NOT NULL,
              overdue_at      timestamptz NOT NULL,
              tracked_at      timestamptz NOT NULL,
              superseded_by   text,
              superseded_at   timestamptz,
              due_sent_at     timestamptz,
              overdue_sent_at timestamptz,
              expired_sent_at timestamptz)""",
            // Stores from before the tracker recorded issuers get the column; their rows keep null.
            "ALTER TABLE renewal_certificate ADD COLUMN IF NOT EXISTS issuer text",
            "CREATE INDEX IF NOT EXISTS renewal_certificate_device ON renewal_certificate (device_id, not_before DESC)",
            "CREATE INDEX IF NOT EXISTS renewal_current_by_renew_at ON renewal_certificate (renew_at)"
                    + " WHERE superseded_at IS NULL",
            "CREATE INDEX IF NOT EXISTS renewal_current_by_overdue_at ON renewal_certificate (overdue_at)"
                    + " WHERE superseded_at IS NULL",
            "CREATE INDEX IF NOT EXISTS renewal_current_by_not_after ON renewal_certificate (not_after)"
                    + " WHERE superseded_at IS NULL",
            "CREATE INDEX IF NOT EXISTS renewal_pending_due ON renewal_certificate (renew_at)"
                    + " WHERE superseded_at IS NULL AND due_sent_at IS NULL",
            "CREATE INDEX IF NOT EXISTS renewal_pending_overdue ON renewal_certificate (overdue_at)"
                    + " WHERE superseded_at IS NULL AND overdue_sent_at IS NULL",
            "CREATE INDEX IF NOT EXISTS renewal_pending_expired ON renewal_certificate (not_after)"
                    + " WHERE superseded_at IS NULL AND expired_sent_at IS NULL",
            // Devices per label, kept by the tracking transactions: counting current rows instead reads the whole
            // table, seconds of a core at ten million devices, and the gauges ask every half minute.
            "CREATE TABLE IF NOT EXISTS renewal_label_devices (label text PRIMARY KEY, devices bigint NOT NULL)",
            // Every revocation, from the API or read back from the revocation topic (which a replay rebuilds it from).
            """
            CREATE TABLE IF NOT EXISTS renewal_revocation (
              serial_number   text NOT NULL,
              issuer          text NOT NULL,
              device_id       text NOT NULL,
              reason          text NOT NULL,
              invalidity_date timestamptz,
              revoked_at      timestamptz NOT NULL,
              revoked_by      text NOT NULL,
              PRIMARY KEY (serial_number, issuer))""");

    /** Sets the per-label device counts from the certificates (the counter table is new, or was rebuilt). */
    static final String RECOUNT_DEVICES = "INSERT INTO renewal_label_devices (label, devices)"
            + " SELECT label, count(*) FROM renewal_certificate WHERE superseded_at IS NULL GROUP BY label"
            + " ON CONFLICT (label) DO UPDATE SET devices = excluded.devices";

    private RenewalSchema() {
    }

    /**
     * Recounts the devices per label from the certificates, for a store whose rows were written around the tracker
     * (the due-scan benchmark generates its fleet in SQL).
     */
    public static Uni<Void> recountDevices(Pool pool) {
        return pool.withTransaction(connection -> connection.query("DELETE FROM renewal_label_devices").execute()
                .chain(() -> connection.query(RECOUNT_DEVICES).execute())).replaceWithVoid();
    }

    public static Uni<Void> create(Pool pool) {
        return pool.withTransaction(connection -> {
            Uni<?> chain = connection.query("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")").execute();
            // A store from before the counter table gets its counts once, here, under the schema lock: every tracker
            // of this version creates the schema before it tracks, so none counts meanwhile.
            Uni<Boolean> countsMissing = chain.chain(() -> connection
                    .query("SELECT to_regclass('renewal_label_devices') IS NULL").execute())
                    .map(rows -> rows.iterator().next().getBoolean(0));
            return countsMissing.call(missing -> {
                Uni<?> statements = Uni.createFrom().voidItem();
                for (String statement : STATEMENTS) {
                    statements = statements.chain(() -> connection.query(statement).execute());
                }
                return missing ? statements.chain(() -> connection.query(RECOUNT_DEVICES).execute()) : statements;
            }).replaceWithVoid();
        });
    }
}
