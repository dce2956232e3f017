package io.estuary.renewal.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.estuary.contracts.RevocationReason;

class RevocationOrderTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void aCertificateIsNamedByIssuerAndSerialInTheFormsOperatorsHave() {
        RevocationOrder order = RevocationOrder.parse("CN=Estuary CA, O=Example", "00:0A:FF", null, "keyCompromise",
                "2026-05-31T00:00:00Z", NOW);
        assertEquals("aff", order.serialNumber());
        assertEquals(RevocationReason.KEY_COMPROMISE, order.reason());
        assertEquals(Instant.parse("2026-05-31T00:00:00Z"), order.invalidityDate());
        assertFalse(order.byDevice());
        assertTrue(order.issuedBy("CN=Estuary CA,O=Example"));
        assertTrue(order.issuedBy("cn=estuary ca,o=example"), "names compare as names");
        assertFalse(order.issuedBy("CN=Other CA,O=Example"));
        assertEquals(RevocationReason.CESSATION_OF_OPERATION,
                RevocationOrder.parse("CN=A", "0x1", null, "5", null, NOW).reason());
    }

    @Test
    void aDeviceIsNamedAlone() {
        RevocationOrder order = RevocationOrder.parse(null, "", "device-7", "SUPERSEDED", null, NOW);
        assertTrue(order.byDevice());
        assertNull(order.serialNumber());
        assertEquals("device-7", order.deviceId());
    }

    @Test
    void eachMistakeIsNamed() {
        assertRefused("not both", "CN=A", "1", "device-7", "1", null);
        assertRefused("either a certificate", null, null, null, "1", null);
        assertRefused("both 'issuer' and 'serialNumber'", null, "1", null, "1", null);
        assertRefused("'reason' is required", "CN=A", "1", null, null, null);
        assertRefused("not a revocation reason", "CN=A", "1", null, "6", null);
        assertRefused("not a revocation reason", "CN=A", "1", null, "certificateHold", null);
        assertRefused("not a revocation reason", "CN=A", "1", null, "stolen", null);
        assertRefused("hexadecimal", "CN=A", "xyz", null, "1", null);
        assertRefused("hexadecimal", "CN=A", "12 34", null, "1", null);
        assertRefused("positive", "CN=A", "00", null, "1", null);
        assertRefused("at most 20 octets", "CN=A", "1" + "00".repeat(20), null, "1", null);
        assertRefused("distinguished name", "CN", "1", null, "1", null);
        assertRefused("ISO-8601", "CN=A", "1", null, "1", "yesterday");
        assertRefused("future", "CN=A", "1", null, "1", "2026-06-02T00:00:00Z");
    }

    private static void assertRefused(String expected, String issuer, String serial, String device, String reason,
            String invalidity) {
        InvalidRevocationException refused = assertThrows(InvalidRevocationException.class,
                () -> RevocationOrder.parse(issuer, serial, device, reason, invalidity, NOW));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }
}
