package io.estuary.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class AuditColumnsTest {

    @Test
    void aValueThatFitsIsKeptAsItIs() {
        String value = "device-\u00e9-\ud83d\ude00"; // a surrogate pair is one character, not an unpaired half
        assertSame(value, AuditColumns.fit(value, 20));
        assertEquals("x".repeat(10), AuditColumns.fit("x".repeat(10), 10));
        assertNull(AuditColumns.fit(null, 10));
    }

    @Test
    void aLongerValueIsCutToTheColumnWithAMark() {
        assertEquals("x".repeat(9) + AuditColumns.CUT_MARK, AuditColumns.fit("x".repeat(11), 10));
        // The cut never splits a surrogate pair: it would leave a character PostgreSQL cannot store.
        String emoji = "\ud83d\ude00";
        String cut = AuditColumns.fit("x".repeat(8) + emoji + "tail", 10);
        assertEquals("x".repeat(8) + AuditColumns.CUT_MARK, cut);
        assertEquals(cut, AuditColumns.fit(cut, 10), "a fitted value is fitted again to itself");
    }

    @Test
    void aValueIsCutToTheBytesAnIndexEntryCanHold() {
        String chinese = AuditColumns.fit("\u4e2d".repeat(1000), 1000);
        assertEquals("\u4e2d".repeat(799) + AuditColumns.CUT_MARK, chinese);
        String emoji = AuditColumns.fit("\ud83d\ude00".repeat(600), 1000);
        assertEquals("\ud83d\ude00".repeat(499) + AuditColumns.CUT_MARK, emoji);
        for (String cut : new String[] { chinese, emoji }) {
            assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= AuditColumns.MAX_BYTES, cut);
            assertSame(cut, AuditColumns.fit(cut, 1000));
        }
    }

    @Test
    void charactersPostgresqlCannotStoreAreReplaced() {
        assertEquals("a\ufffdb", AuditColumns.storable("a\u0000b"));
        assertEquals("\ufffdx\ufffd", AuditColumns.storable("\ud800x\udc00"));
        assertEquals("x\ufffd", AuditColumns.storable("x\ud800"));
        assertEquals("\ud83d\ude00", AuditColumns.storable("\ud83d\ude00"));
    }

    @Test
    void anEventIdTooLongOrUnstorableIsItsTypeAndHash() {
        assertEquals("result:r1", AuditColumns.eventId("result:r1"));
        String longId = "auth-failure:" + "a".repeat(400);
        String fitted = AuditColumns.eventId(longId);
        assertEquals("auth-failure:sha256:" + HashChain.sha256Hex(longId), fitted);
        assertTrue(fitted.length() <= AuditColumns.EVENT_ID);
        assertEquals(fitted, AuditColumns.eventId(longId), "a redelivery gets the same id");
        assertNotEquals(fitted, AuditColumns.eventId(longId + "b"), "distinct ids stay distinct");
        assertEquals(fitted, AuditColumns.eventId(fitted));
        assertTrue(AuditColumns.eventId("renewal:x\u0000").startsWith("renewal:sha256:"));
    }

    @Test
    void anEntryIsFittedToTheColumnsAndFittedTwiceIsTheSame() {
        SourcePosition source = new SourcePosition(Instant.EPOCH, "topic", 0, 0);
        AuditEntry entry = new AuditEntry("auth-failure:" + "e".repeat(400), AuditOutcome.AUTHENTICATION_FAILED,
                Instant.EPOCH, "d".repeat(1001), "s".repeat(256), "l".repeat(256), "r\u0000".repeat(600),
                "q".repeat(256), "w".repeat(2001), "{\"x\":\"\ud800\"}", source);
        assertEquals(AuditColumns.DEVICE_ID, entry.deviceId().length());
        assertEquals(AuditColumns.SERIAL_NUMBER, entry.serialNumber().length());
        assertEquals(AuditColumns.LABEL, entry.label().length());
        assertEquals(AuditColumns.REQUESTER, entry.requester().length());
        assertTrue(entry.requester().startsWith("r\ufffdr"), entry.requester());
        assertEquals(AuditColumns.REQUEST_ID, entry.requestId().length());
        assertEquals(AuditColumns.REASON, entry.reason().length());
        assertEquals("{\"x\":\"\ufffd\"}", entry.payload());
        assertTrue(entry.eventId().startsWith("auth-failure:sha256:"));
        AuditEntry again = new AuditEntry(entry.eventId(), entry.outcome(), entry.occurredAt(), entry.deviceId(),
                entry.serialNumber(), entry.label(), entry.requester(), entry.requestId(), entry.reason(),
                entry.payload(), source);
        assertEquals(entry, again, "what the store returns is the entry that was hashed");
    }
}
