package io.estuary.audit.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditOutcome;
import io.estuary.audit.domain.CanonicalJson;
import io.estuary.audit.domain.ChainVerification;
import io.estuary.audit.domain.ChainedEntry;
import io.estuary.audit.domain.Checkpoint;
import io.estuary.audit.domain.HashChain;
import io.estuary.audit.domain.InvalidQueryException;
import io.estuary.audit.domain.SourcePosition;

class HashChainTest {
    static AuditEntry entry(String id, long offset) {
        return new AuditEntry(id, AuditOutcome.ISSUED, Instant.parse("2026-01-01T00:00:00.123456789Z"), "dev", "ab",
                "", "req", "r-" + id, null, "{\"a\":1}",
                new SourcePosition(Instant.ofEpochMilli(1000 + offset), "t", 0, offset));
    }

    static List<ChainedEntry> chain(int n) {
        List<ChainedEntry> chain = new ArrayList<>();
        String previous = HashChain.GENESIS_HASH;
        for (int i = 1; i <= n; i++) {
            ChainedEntry link = HashChain.link(i, entry("e" + i, i), previous);
            chain.add(link);
            previous = link.hash();
        }
        return chain;
    }

    @Test
    void aHashDependsOnContentSequenceAndPredecessor() {
        AuditEntry e = entry("e1", 1);
        String hash = HashChain.hashOf(1, e, HashChain.GENESIS_HASH);
        assertEquals(hash, HashChain.hashOf(1, entry("e1", 1), HashChain.GENESIS_HASH));
        assertEquals(64, hash.length());
        assertNotEquals(hash, HashChain.hashOf(2, e, HashChain.GENESIS_HASH));
        assertNotEquals(hash, HashChain.hashOf(1, e, "1".repeat(64)));
        assertNotEquals(hash, HashChain.hashOf(1, entry("e2", 1), HashChain.GENESIS_HASH));
    }

    @Test
    void theCanonicalContentIsSortedAndKeepsMicroseconds() {
        String content = HashChain.canonicalContent(7, entry("e1", 1));
        assertTrue(content.startsWith("{\"deviceId\":\"dev\",\"eventId\":\"e1\",\"label\":\"\""), content);
        assertTrue(content.contains("\"occurredAt\":\"2026-01-01T00:00:00.123456Z\""), content);
        assertTrue(content.contains("\"reason\":null"), content);
        assertEquals(CanonicalJson.write(Map.of("b", 1, "a", Map.of("d", 2, "c", 3))), "{\"a\":{\"c\":3,\"d\":2},\"b\":1}");
    }

    @Test
    void anIntactChainVerifies() {
        ChainVerifier verifier = new ChainVerifier();
        List<ChainedEntry> chain = chain(5);
        chain.forEach(verifier::accept);
        ChainVerification result = verifier.result();
        assertTrue(result.valid());
        assertEquals(5, result.checked());
        assertEquals(5, result.headSequence());
        assertEquals(chain.get(4).hash(), result.headHash());
    }

    @Test
    void anEditedRecordIsReportedAtItsSequence() {
        List<ChainedEntry> chain = chain(5);
        ChainedEntry third = chain.get(2);
        AuditEntry edited = new AuditEntry(third.entry().eventId(), AuditOutcome.REJECTED, third.entry().occurredAt(),
                "dev", "ab", "", "req", third.entry().requestId(), null, third.entry().payload(),
                third.entry().source());
        chain.set(2, new ChainedEntry(3, edited, third.previousHash(), third.hash()));
        ChainVerifier verifier = new ChainVerifier();
        chain.forEach(verifier::accept);
        ChainVerification result = verifier.result();
        assertFalse(result.valid());
        assertEquals(3L, result.brokenAtSequence());
        assertEquals(2, result.headSequence());
        assertTrue(result.problem().contains("content"));
    }

    @Test
    void aDeletedRecordIsReportedWhereTheGapIs() {
        List<ChainedEntry> chain = chain(5);
        chain.remove(1);
        ChainVerifier verifier = new ChainVerifier();
        chain.forEach(verifier::accept);
        assertEquals(3L, verifier.result().brokenAtSequence());
    }

    @Test
    void aRunFromACheckpointChecksOnlyTheRecordsAfterIt() {
        List<ChainedEntry> chain = chain(5);
        ChainVerifier verifier = new ChainVerifier(new Checkpoint(2, chain.get(1).hash()));
        chain.subList(2, 5).forEach(verifier::accept);
        ChainVerification result = verifier.result();
        assertTrue(result.valid());
        assertEquals(2, result.fromSequence());
        assertEquals(3, result.checked());
        assertEquals(chain.get(4).hash(), result.headHash());

        ChainVerifier wrongHash = new ChainVerifier(new Checkpoint(2, chain.get(0).hash()));
        chain.subList(2, 5).forEach(wrongHash::accept);
        assertEquals(3L, wrongHash.result().brokenAtSequence());
    }

    @Test
    void aCheckpointIsASequenceNumberAndAHashTogether() {
        assertEquals(Checkpoint.GENESIS, Checkpoint.parse(null, " "));
        assertEquals(new Checkpoint(7, "a".repeat(64)), Checkpoint.parse("7", "a".repeat(64)));
        assertTrue(assertThrows(InvalidQueryException.class, () -> Checkpoint.parse("7", null)).getMessage()
                .contains("go together"));
        assertThrows(InvalidQueryException.class, () -> Checkpoint.parse("-1", "a".repeat(64)));
        assertThrows(InvalidQueryException.class, () -> Checkpoint.parse("7", "A".repeat(64)));
        assertThrows(InvalidQueryException.class, () -> Checkpoint.parse("0", "a".repeat(64)));
    }
}
