package io.estuary.audit.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class AuditConsumerSettingsTest {
    record Settings(boolean enabled, String groupId, Duration settle, Duration pollTimeout, Duration retryBackoff,
            int appendBatchSize, int maxRecordsPerCycle) implements AuditConfig.Consumer {
    }

    private static final Settings DEFAULTS = new Settings(true, "audit-service", Duration.ofSeconds(10),
            Duration.ofMillis(500), Duration.ofSeconds(5), 500, 20_000);

    @Test
    void theDefaultsAndTheTestSettingsPass() {
        assertDoesNotThrow(DEFAULTS::check);
        assertDoesNotThrow(new Settings(true, "g", Duration.ZERO, Duration.ofMillis(1), Duration.ZERO, 1, 1)::check);
    }

    @Test
    void settingsTheConsumerCannotWorkWithAreRefusedByName() {
        assertRefused("estuary.audit.consumer.max-records-per-cycle must be at least 1, got 0",
                new Settings(true, "g", DEFAULTS.settle(), DEFAULTS.pollTimeout(), DEFAULTS.retryBackoff(), 500, 0));
        assertRefused("estuary.audit.consumer.append-batch-size must be at least 1, got -3",
                new Settings(true, "g", DEFAULTS.settle(), DEFAULTS.pollTimeout(), DEFAULTS.retryBackoff(), -3, 10));
        assertRefused("estuary.audit.consumer.settle must not be negative, got PT-1S", new Settings(true, "g",
                Duration.ofSeconds(-1), DEFAULTS.pollTimeout(), DEFAULTS.retryBackoff(), 500, 10));
        assertRefused("estuary.audit.consumer.poll-timeout must be positive, got PT0S", new Settings(true, "g",
                DEFAULTS.settle(), Duration.ZERO, DEFAULTS.retryBackoff(), 500, 10));
        assertRefused("estuary.audit.consumer.retry-backoff must not be negative, got PT-0.001S", new Settings(true,
                "g", DEFAULTS.settle(), DEFAULTS.pollTimeout(), Duration.ofMillis(-1), 500, 10));
    }

    private static void assertRefused(String message, Settings settings) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, settings::check).getMessage());
    }
}
