package io.estuary.audit.messaging;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.estuary.audit.repository.AuditRecordRepository;
import io.estuary.audit.service.AuditChainAppender;
import io.estuary.audit.service.Blocking;
import io.estuary.audit.service.InvalidQueryException;
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
    AuditRecordRepository records;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Blocks until the topics, as they were when it started, are chained; returns how many records it wrote. */
    public long replayIntoEmptyStore() {
        long existing = Blocking.await(() -> Panache.withSession(records::count));
        if (existing != 0) {
            throw new InvalidQueryException("the audit store holds " + existing
                    + " records; a replay needs an empty store (a fresh database or schema)");
        }
        try (AuditTopicReader reader = new AuditTopicReader(bootstrapServers, null, Duration.ofMillis(500),
                Clock.systemUTC())) {
            reader.readToEnd(() -> true);
            LOG.infof("replay read %d events; chaining them", reader.buffer().size());
            return appender.appendBlocking(reader.buffer().releaseAll());
        }
    }
}
