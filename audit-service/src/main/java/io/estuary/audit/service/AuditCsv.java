package io.estuary.audit.service;

import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.ObjectWriter;

/** Audit records as RFC 4180 CSV (CRLF line ends, fields quoted by Jackson when they need it). */
public final class AuditCsv {
    private static final String[] COLUMNS = { "sequence", "eventId", "outcome", "occurredAt", "deviceId",
            "serialNumber", "label", "requester", "requestId", "reason", "payload", "sourceTopic", "sourcePartition",
            "sourceOffset", "sourceTimestamp", "previousHash", "hash", "recordedAt" };
    private static final ObjectWriter WRITER = new CsvMapper()
            .writer(CsvSchema.emptySchema().withLineSeparator("\r\n"));

    private AuditCsv() {
    }

    public static String header() {
        return line(COLUMNS);
    }

    public static String row(AuditRecordView r) {
        // Null as an empty field: Jackson would leave a null out and shift the columns after it.
        return line(new String[] { String.valueOf(r.sequence()), r.eventId(), r.outcome().name(),
                text(r.occurredAt()), text(r.deviceId()), text(r.serialNumber()), text(r.label()),
                text(r.requester()), text(r.requestId()), text(r.reason()), r.payload(), r.sourceTopic(),
                String.valueOf(r.sourcePartition()),
                String.valueOf(r.sourceOffset()), text(r.sourceTimestamp()), r.previousHash(), r.hash(),
                text(r.recordedAt()) });
    }

    private static String text(Object value) {
        return Objects.toString(value, "");
    }

    private static String line(String[] fields) {
        try {
            return WRITER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a row of strings is always writable as CSV", e);
        }
    }
}
