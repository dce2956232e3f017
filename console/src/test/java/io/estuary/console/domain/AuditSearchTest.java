package io.estuary.console.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuditSearchTest {
    @Test
    void theBrowsersDateTimeFieldsAreReadAsUtcAndBlanksAsUnset() {
        AuditSearch search = AuditSearch.of(" dev-1 ", "", null, "ISSUED", "2026-12-01T08:30", "2026-12-02T09:15:07");
        assertEquals("dev-1", search.device());
        assertNull(search.serial());
        assertEquals("2026-12-01T08:30:00Z", search.fromInstant());
        assertEquals("2026-12-02T09:15:07Z", search.toInstant());
    }

    @Test
    void anInstantOrAnythingElseGoesOnForTheAuditApiToJudge() {
        assertEquals("2026-12-01T08:30:00Z", AuditSearch.of(null, null, null, null, "2026-12-01T08:30:00Z", null)
                .fromInstant());
        assertEquals("yesterday", AuditSearch.of(null, null, null, null, null, "yesterday").toInstant());
        assertTrue(AuditSearch.of(" ", null, "", null, null, null).empty());
    }
}
