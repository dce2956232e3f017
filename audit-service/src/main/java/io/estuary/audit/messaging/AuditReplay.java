package io.estuary.audit.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.estuary.audit.config.AuditConfig;
import io.estuary.audit.domain.AuditRecords;
import io.estuary.audit.domain.Blocking;
import io.estuary.audit.domain.InvalidQueryException;
import io.estuary.audit.service.AuditChainAppender;
import io.quarkus.hibernate.reactive.panache.Panache;

/**
 * Rebuilds the audit store from the beginning of the topics into an empty store. It reads exactly as the live
 * consumer does (same reader, same chain order) and then chains every event read, so its chain equals the live one
 * as long as no event reached the broker later than the settle time after its timestamp. It commits no offsets and
 * joins no consumer group.
 */
@ApplicationScoped
public class AuditReplay {
    private static final Logger LOG = Logger.getLogger(AuditReplay.class);

    @Inject
    AuditChainAppender appender;
    @Inject
    AuditRecords records;
    @Inject
    AuditConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Blocks until the topics, as they were when it started, are chained; returns how many records it wrote. */
    public long replayIntoEmptyStore() {
        long existing = Blocking.await(() -> Panache.withSession(records::recordCount));
        if (existing != 0) {
            throw new InvalidQueryException("the audit store holds " + existing
                    + " records; a replay needs an empty store (a fresh database or schema)");
        }
        try (AuditTopicReader reader = new AuditTopicReader(bootstrapServers, null, Duration.ofMillis(500),
                Clock.systemUTC())) {
            // In bounded cycles, releasing what the live consumer would have released by then (same settle time), so
            // a log of millions of events is replayed in constant memory and into the same chain order.
            AuditTopicReader.Ends ends = reader.ends();
            Duration settle = config.consumer().settle();
            long written = 0;
            while (true) {
                Instant horizon = reader.readCycle(() -> true, ends, config.consumer().maxRecordsPerCycle(), settle);
                if (reader.reached(ends)) {
                    written += appender.appendBlocking(reader.buffer().releaseAll());
                    LOG.infof("replay chained %d events", written);
                    return written;
                }
                written += appender.appendBlocking(reader.buffer().releaseUpTo(horizon.minus(settle)));
            }
        }
    }
}
