package io.estuary.renewal.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IssuanceResultConsumerTest {

    @Test
    void aDeviceIdTheStoreCannotIndexIsNotTracked() {
        assertTrue(IssuanceResultConsumer.storable("device-1"));
        assertTrue(IssuanceResultConsumer.storable("\u4e2d".repeat(800)));
        assertFalse(IssuanceResultConsumer.storable("\u4e2d".repeat(801)), "2,403 bytes");
        assertTrue(IssuanceResultConsumer.storable("d".repeat(2400)));
        assertFalse(IssuanceResultConsumer.storable("d".repeat(2401)));
        assertFalse(IssuanceResultConsumer.storable("dev\u0000ice"));
    }
}
