package io.estuary.audit.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.estuary.audit.domain.AuditOutcome;

class AuditCsvTest {
    @Test
    void quotesWhatNeedsQuotingAndEndsLinesWithCrLf() {
        AuditRecordView view = new AuditRecordView(1, "result:r", AuditOutcome.REJECTED, Instant.EPOCH, null, null,
                "", "a,b", "r", "said \"no\"\nthen left", "{\"k\":\"v\"}", "t", 0, 5, Instant.EPOCH, "00", "11",
                Instant.EPOCH);
        String row = AuditCsv.row(view);
        assertTrue(row.endsWith("\r\n"));
        assertTrue(row.contains(",\"a,b\","), row);
        assertTrue(row.contains(",\"said \"\"no\"\"\nthen left\","), row);
        assertTrue(row.contains(",\"{\"\"k\"\":\"\"v\"\"}\","), row);
        assertTrue(row.startsWith("1,result:r,REJECTED,1970-01-01T00:00:00Z,,,,\"a,b\",r,"), row);
        assertTrue(AuditCsv.header().startsWith("sequence,eventId,outcome,occurredAt"));
    }
}
