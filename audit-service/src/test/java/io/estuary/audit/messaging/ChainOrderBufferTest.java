package io.estuary.audit.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditOutcome;
import io.estuary.audit.domain.SourcePosition;

class ChainOrderBufferTest {
    private static AuditEntry event(long millis, String topic, int partition, long offset) {
        return new AuditEntry(topic + partition + offset, AuditOutcome.REQUESTED, Instant.EPOCH, null, null, "", null,
                null, null, "{}", new SourcePosition(Instant.ofEpochMilli(millis), topic, partition, offset));
    }

    @Test
    void releasesInTimestampThenTopicPartitionOffsetOrderWhateverTheReadOrder() {
        ChainOrderBuffer buffer = new ChainOrderBuffer();
        buffer.add(event(30, "b", 0, 0));
        buffer.add(event(10, "b", 1, 4));
        buffer.add(event(10, "a", 2, 7));
        buffer.add(event(20, "a", 0, 1));
        buffer.add(event(10, "a", 2, 7)); // read twice: kept once
        List<String> order = buffer.releaseUpTo(Instant.ofEpochMilli(20)).stream().map(AuditEntry::eventId).toList();
        assertEquals(List.of("a27", "b14", "a01"), order);
        assertEquals(1, buffer.size());
        assertEquals(List.of("b00"), buffer.releaseAll().stream().map(AuditEntry::eventId).toList());
    }

    @Test
    void offsetsAreNeverCommittedPastAPendingEvent() {
        ChainOrderBuffer buffer = new ChainOrderBuffer();
        buffer.add(event(50, "a", 0, 3));
        buffer.add(event(10, "a", 0, 4));
        buffer.releaseUpTo(Instant.ofEpochMilli(10));
        assertEquals(3, buffer.firstPendingOffset("a", 0).getAsLong());
        assertTrue(buffer.firstPendingOffset("a", 1).isEmpty());
    }
}
