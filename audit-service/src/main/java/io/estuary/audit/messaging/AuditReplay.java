package io.estuary.audit.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.audit.config.AuditConfig;
import io.estuary.audit.domain.AuditRecords;
import io.estuary.audit.domain.Blocking;
import io.estuary.audit.domain.InvalidQueryException;
import io.estuary.audit.service.AuditChainAppender;
import io.estuary.kafka.follower.Start;
import io.estuary.kafka.follower.TopicFollower;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.quarkus.hibernate.reactive.panache.Panache;

/**
 * Rebuilds the audit store from the beginning of the topics into an empty store. It reads exactly as the live
 * consumer does (same reader, same chain order) and then chains every event read, so its chain equals the live one
 * as long as no event reached the broker later than the settle time after its timestamp. It commits no offsets and
 * joins no consumer group. A broker failure makes its follower read from the beginning again, towards the same ends:
 * what is chained already is skipped by event id. A database failure ends the replay.
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
    @Inject
    TopicFollowers followers;

    /** Blocks until the topics, as they were when it started, are chained; returns how many records it wrote. */
    public long replayIntoEmptyStore() {
        long existing = Blocking.await(() -> Panache.withSession(records::recordCount));
        if (existing != 0) {
            throw new InvalidQueryException("the audit store holds " + existing
                    + " records; a replay needs an empty store (a fresh database or schema)");
        }
        // In bounded cycles, releasing what the live consumer would have released by then (same settle time), so
        // a log of millions of events is replayed in constant memory and into the same chain order.
        Duration settle = config.consumer().settle();
        AtomicLong written = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        AuditTopicReader reader = new AuditTopicReader(Clock.systemUTC(), config.consumer().maxRecordsPerCycle(),
                settle, false, (cycle, horizon) -> {
                    if (done.isDone()) {
                        return; // read on past the ends until the follower is closed: not replayed
                    }
                    try {
                        if (cycle.reachedEnds()) {
                            written.addAndGet(appender.appendBlocking(cycle.buffer().releaseAll()));
                            LOG.infof("replay chained %d events", written.get());
                            done.complete(written.get());
                        } else {
                            written.addAndGet(
                                    appender.appendBlocking(cycle.buffer().releaseUpTo(horizon.minus(settle))));
                        }
                    } catch (RuntimeException | Error e) {
                        done.completeExceptionally(e);
                        throw e;
                    }
                });
        try (TopicFollower follower = new TopicFollower("audit-replay", followers.settings(),
                AuditTopicReader.subscription(Start.beginning(), Duration.ofMillis(500)), reader)) {
            follower.start();
            return done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
