package io.estuary.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditOutcome;
import io.estuary.audit.domain.ChainedEntry;
import io.estuary.audit.domain.HashChain;
import io.estuary.audit.domain.SourcePosition;
import io.estuary.audit.repository.AuditRecordWriter;

/**
 * Appends made-up issuance records after the store's head straight into PostgreSQL with COPY, each linked and hashed
 * by {@link HashChain} as the appender does: a chain of millions in a minute or two, in constant memory (rows are
 * generated as they are sent).
 */
final class SyntheticChain implements AutoCloseable {
    private static final int FLUSH_BYTES = 1 << 20;
    /** About the size of a real issuance result, whose payload carries the certificate. */
    private static final String CERTIFICATE = "MIIB".repeat(200);

    private final Connection connection;

    SyntheticChain() throws SQLException {
        String url = "jdbc:postgresql://" + env("ESTUARY_DB_HOST", "127.0.0.1") + ":" + env("ESTUARY_DB_PORT", "5432")
                + "/" + env("ESTUARY_AUDIT_DB", "estuary_audit");
        connection = DriverManager.getConnection(url, env("ESTUARY_DB_USER", "estuary"),
                env("ESTUARY_DB_PASSWORD", ""));
    }

    private static String env(String name, String otherwise) {
        return Objects.requireNonNullElse(System.getenv(name), otherwise);
    }

    Connection connection() {
        return connection;
    }

    long headSequence() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rows = s.executeQuery("select coalesce(max(sequence), 0) from audit_record")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    String hashAt(long sequence) throws SQLException {
        if (sequence == 0) {
            return HashChain.GENESIS_HASH;
        }
        try (PreparedStatement s = connection.prepareStatement("select hash from audit_record where sequence = ?")) {
            s.setLong(1, sequence);
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no record " + sequence);
                }
                return rows.getString(1);
            }
        }
    }

    /** Appends {@code count} records after the head, in one transaction. */
    void append(long count) throws SQLException, IOException {
        long sequence = headSequence();
        String previousHash = hashAt(sequence);
        String run = Long.toString(System.nanoTime(), 36);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        connection.setAutoCommit(false);
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY audit_record ("
                + String.join(", ", AuditRecordWriter.COLUMNS) + ") FROM STDIN (FORMAT csv)");
        try {
            StringBuilder rows = new StringBuilder(FLUSH_BYTES + 8192);
            for (long i = 0; i < count; i++) {
                ChainedEntry link = HashChain.link(++sequence, entry(run, i, start.plusMillis(i)), previousHash);
                previousHash = link.hash();
                row(rows, link);
                if (rows.length() >= FLUSH_BYTES) {
                    send(copy, rows);
                }
            }
            send(copy, rows);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    void deleteAfter(long sequence) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("delete from audit_record where sequence > ?")) {
            s.setLong(1, sequence);
            s.executeUpdate();
        }
    }

    void execute(String statement) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    private static AuditEntry entry(String run, long i, Instant at) {
        String device = "synthetic-device-" + (i % 10_000);
        String serial = Long.toHexString(0x1000000L + i);
        String request = "synthetic-" + run + "-" + i;
        String payload = "{\"certificate\":\"" + CERTIFICATE + "\",\"decidedAt\":\"" + at + "\",\"deviceId\":\""
                + device + "\",\"outcome\":\"ISSUED\",\"requestId\":\"" + request + "\",\"serialNumber\":\"" + serial
                + "\"}";
        return new AuditEntry("result:" + request, AuditOutcome.ISSUED, at, device, serial, "default",
                "synthetic-requester", request, null, payload,
                new SourcePosition(at, "estuary.issuance.results", (int) (i % 4), i / 4));
    }

    private static void row(StringBuilder out, ChainedEntry link) {
        AuditEntry e = link.entry();
        SourcePosition s = e.source();
        // The order of AuditRecordWriter.COLUMNS; recordedAt is outside the hash, so any time does.
        List<Object> fields = Arrays.asList(link.sequence(), e.eventId(), e.outcome().name(),
                e.occurredAt(), e.deviceId(), e.serialNumber(), e.label(), e.requester(), e.requestId(), e.reason(),
                e.payload(), s.timestamp(), s.topic(), s.partition(), s.offset(), link.previousHash(), link.hash(),
                s.timestamp());
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object field = fields.get(i);
            if (field != null) { // an unquoted empty field is NULL
                out.append('"').append(field.toString().replace("\"", "\"\"")).append('"');
            }
        }
        out.append('\n');
    }

    private static void send(CopyIn copy, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        rows.setLength(0);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
