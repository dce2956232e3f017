package io.estuary.audit.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The audit service's own settings ({@code estuary.audit.*}). */
@ConfigMapping(prefix = "estuary.audit")
public interface AuditConfig {

    /**
     * How long the signers remember an answer (their estuary.signer.retry-window): another certificate for a request
     * decided within it of an earlier answer means two signers answered the request.
     */
    @WithDefault("PT15M")
    Duration retryWindow();

    Consumer consumer();

    Query query();

    Export export();

    interface Consumer {
        /** Off for the replay and verify commands, which must not consume live. */
        @WithDefault("true")
        boolean enabled();

        /** Consumer group whose committed offsets say how far the store is. */
        @WithDefault("audit-service")
        String groupId();

        /**
         * How long after its timestamp an event is chained. Events are chained in timestamp order; an event that
         * reaches the broker later than this after its timestamp is still recorded, but out of that order (and a
         * replay would place it elsewhere). It bounds producer delay plus clock skew between producers and this
         * service.
         */
        @WithDefault("PT10S")
        Duration settle();

        /** How long one poll waits for new events. */
        @WithDefault("PT0.5S")
        Duration pollTimeout();

        /** Pause before reconnecting after a broker or database failure. */
        @WithDefault("PT5S")
        Duration retryBackoff();

        /** Most records chained in one database transaction. */
        @WithDefault("500")
        int appendBatchSize();

        /** Events read per cycle at most: bounds the memory of a consumer that is far behind. */
        @WithDefault("20000")
        int maxRecordsPerCycle();

        /**
         * Refuses settings the consumer cannot work with (a batch of 0 would never advance), naming the property,
         * so the service fails at start rather than spinning or stalling later.
         */
        default void check() {
            String prefix = "estuary.audit.consumer.";
            if (appendBatchSize() < 1) {
                throw new IllegalArgumentException(prefix + "append-batch-size must be at least 1, got "
                        + appendBatchSize());
            }
            if (maxRecordsPerCycle() < 1) {
                throw new IllegalArgumentException(prefix + "max-records-per-cycle must be at least 1, got "
                        + maxRecordsPerCycle());
            }
            if (settle().isNegative()) {
                throw new IllegalArgumentException(prefix + "settle must not be negative, got " + settle());
            }
            if (pollTimeout().isNegative() || pollTimeout().isZero()) {
                throw new IllegalArgumentException(prefix + "poll-timeout must be positive, got " + pollTimeout());
            }
            if (retryBackoff().isNegative()) {
                throw new IllegalArgumentException(prefix + "retry-backoff must not be negative, got "
                        + retryBackoff());
            }
        }
    }

    interface Export {
        /**
         * Exports streamed at once; one more is refused (429) until one ends. Each holds a page of records, whatever
         * the size of the export.
         */
        @WithDefault("1")
        int maxConcurrent();
    }

    interface Query {
        @WithDefault("100")
        int defaultLimit();

        @WithDefault("1000")
        int maxLimit();
    }
}
