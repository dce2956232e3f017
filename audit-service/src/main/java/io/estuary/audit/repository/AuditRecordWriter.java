package io.estuary.audit.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditRecord;
import io.estuary.audit.domain.ChainStorage;
import io.estuary.audit.domain.RecordedAnswer;
import io.estuary.audit.domain.SourcePosition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Appends to the chain in plain SQL on the reactive pool: one transaction of four statements whatever the batch size
 * (take the append lock, read the head, read which event ids are already recorded, insert the new rows from arrays),
 * and one more when the batch holds answers to requests: the answers already recorded for them.
 * Through Hibernate each row was an insert of its own: about twice the database CPU per record.
 */
@ApplicationScoped
public class AuditRecordWriter implements ChainStorage {
    /** Arbitrary, fixed key of the PostgreSQL advisory lock that serialises appends to the chain. */
    private static final long CHAIN_LOCK_KEY = 0x6573747561727941L;
    /** Every column of the table, which {@link AuditRecord} defines: a test checks that the two stay the same. */
    public static final List<String> COLUMNS = List.of("sequence", "eventId", "outcome", "occurredAt", "deviceId",
            "serialNumber", "label", "requester", "requestId", "reason", "payload", "sourceTimestamp", "sourceTopic",
            "sourcePartition", "sourceOffset", "previousHash", "hash", "recordedAt");
    private static final String INSERT = "INSERT INTO audit_record (" + String.join(", ", COLUMNS) + ")"
            + " SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::varchar[],"
            + " $6::varchar[], $7::varchar[], $8::varchar[], $9::varchar[], $10::varchar[], $11::text[],"
            + " $12::timestamptz[], $13::varchar[], $14::integer[], $15::bigint[], $16::varchar[], $17::varchar[],"
            + " $18::timestamptz[])";

    private final Pool pool;

    @Inject
    public AuditRecordWriter(Pool pool) {
        this.pool = pool;
    }

    /**
     * Under the chain's append lock (held until the transaction ends, so every appender, in this process or another
     * such as a second instance or a replay, links to the true head and the chain never forks), chains and inserts.
     *
     * @return how many records were inserted
     */
    @Override
    public Uni<Integer> append(List<String> eventIds, List<String> answeredRequests, Chaining chaining) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(CHAIN_LOCK_KEY))
                .chain(() -> head(connection))
                .chain(head -> recorded(connection, eventIds)
                        .chain(recorded -> answers(connection, answeredRequests)
                                .map(answers -> chaining.after(head, recorded, answers))))
                .chain(records -> insert(connection, records).replaceWith(records.size())));
    }

    private static Uni<ChainHead> head(SqlConnection connection) {
        return connection.preparedQuery("SELECT sequence, hash, sourceTimestamp, sourceTopic, sourcePartition,"
                + " sourceOffset FROM audit_record ORDER BY sequence DESC LIMIT 1").execute()
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new ChainHead(row.getLong(0), row.getString(1), new SourcePosition(
                            row.getOffsetDateTime(2).toInstant(), row.getString(3), row.getInteger(4),
                            row.getLong(5)));
                });
    }

    private static Uni<Set<String>> recorded(SqlConnection connection, List<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return connection.preparedQuery("SELECT eventId FROM audit_record WHERE eventId = ANY($1)")
                .execute(Tuple.of(eventIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> recorded = new HashSet<>();
                    rows.forEach(row -> recorded.add(row.getString(0)));
                    return recorded;
                });
    }

    /** The signers' answers recorded for these requests (by the requestId index), each request's in order. */
    private static Uni<Map<String, List<RecordedAnswer>>> answers(SqlConnection connection, List<String> requests) {
        if (requests.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery("SELECT requestId, serialNumber, occurredAt FROM audit_record"
                        + " WHERE requestId = ANY($1) AND eventId LIKE $2 ORDER BY sequence")
                .execute(Tuple.of(requests.toArray(String[]::new), AuditEntry.ANSWER_PREFIX + "%"))
                .map(rows -> {
                    Map<String, List<RecordedAnswer>> answers = new HashMap<>();
                    rows.forEach(row -> answers.computeIfAbsent(row.getString(0), r -> new ArrayList<>())
                            .add(new RecordedAnswer(row.getString(1), row.getOffsetDateTime(2).toInstant())));
                    return answers;
                });
    }

    private static Uni<Void> insert(SqlConnection connection, List<AuditRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = records.size();
        Long[] sequence = new Long[n];
        String[] eventId = new String[n];
        String[] outcome = new String[n];
        OffsetDateTime[] occurredAt = new OffsetDateTime[n];
        String[] deviceId = new String[n];
        String[] serialNumber = new String[n];
        String[] label = new String[n];
        String[] requester = new String[n];
        String[] requestId = new String[n];
        String[] reason = new String[n];
        String[] payload = new String[n];
        OffsetDateTime[] sourceTimestamp = new OffsetDateTime[n];
        String[] sourceTopic = new String[n];
        Integer[] sourcePartition = new Integer[n];
        Long[] sourceOffset = new Long[n];
        String[] previousHash = new String[n];
        String[] hash = new String[n];
        OffsetDateTime[] recordedAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            AuditRecord record = records.get(i);
            sequence[i] = record.sequence;
            eventId[i] = record.eventId;
            outcome[i] = record.outcome.name();
            occurredAt[i] = utc(record.occurredAt);
            deviceId[i] = record.deviceId;
            serialNumber[i] = record.serialNumber;
            label[i] = record.label;
            requester[i] = record.requester;
            requestId[i] = record.requestId;
            reason[i] = record.reason;
            payload[i] = record.payload;
            sourceTimestamp[i] = utc(record.sourceTimestamp);
            sourceTopic[i] = record.sourceTopic;
            sourcePartition[i] = record.sourcePartition;
            sourceOffset[i] = record.sourceOffset;
            previousHash[i] = record.previousHash;
            hash[i] = record.hash;
            recordedAt[i] = utc(record.recordedAt);
        }
        Tuple arrays = Tuple.tuple(List.of(sequence, eventId, outcome, occurredAt, deviceId, serialNumber, label,
                requester, requestId, reason, payload, sourceTimestamp, sourceTopic, sourcePartition, sourceOffset,
                previousHash, hash, recordedAt));
        return connection.preparedQuery(INSERT).execute(arrays).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
