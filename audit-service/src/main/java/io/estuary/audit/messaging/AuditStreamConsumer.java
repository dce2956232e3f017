package io.estuary.audit.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.estuary.audit.config.AuditConfig;
import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.service.AuditChainAppender;
import io.estuary.kafka.follower.FollowerHealth;
import io.estuary.kafka.follower.Start;
import io.estuary.kafka.follower.TopicFollower;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.kafka.tracing.RecordTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the audit store up to date with the topics, on a follower of its own. Each cycle reads every partition towards
 * its current end (a bounded number of events: a consumer far behind catches up in many cycles, not in one that holds
 * the whole backlog in memory), chains the events old enough to be in their final order (see
 * {@link AuditConfig.Consumer#settle()}), then commits offsets. Offsets are committed only after the database
 * transaction: a crash in between re-reads events the store already has, which the appender skips by event id. After
 * any failure (the broker, the database, an error) the follower starts again from the committed offsets, after
 * {@link AuditConfig.Consumer#retryBackoff()}.
 */
@ApplicationScoped
public class AuditStreamConsumer {
    @Inject
    AuditConfig config;
    @Inject
    AuditChainAppender appender;
    @Inject
    TopicFollowers followers;
    @Inject
    RecordTracing tracing;

    private final Clock clock = Clock.systemUTC();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Instant lastCycle;
    private volatile TopicFollower follower;

    void onStart(@Observes StartupEvent event) {
        config.consumer().check(); // the replay and verify commands read the same settings
        if (config.consumer().enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (follower != null) {
            return;
        }
        AuditConfig.Consumer settings = config.consumer();
        AuditTopicReader reader = new AuditTopicReader(clock, settings.maxRecordsPerCycle(), settings.settle(), true,
                this::chain, tracing);
        follower = followers.follow("audit-stream-consumer",
                followers.settings().withRestart(settings.retryBackoff(), settings.retryBackoff()),
                AuditTopicReader.subscription(Start.committed(settings.groupId()), settings.pollTimeout()), reader);
    }

    /** Stops after the current cycle; events read but not chained are read again at the next start. */
    public synchronized void stop() {
        if (follower != null) {
            followers.unfollow(follower);
            follower = null;
            pending.set(0);
        }
    }

    public boolean isRunning() {
        return follower != null;
    }

    /** Started and not stopped: its follower starts again after any failure, which {@link #health()} reports. */
    public boolean isAlive() {
        TopicFollower current = follower;
        return current != null && current.health().state() != FollowerHealth.State.STOPPED;
    }

    /** The follower's state, restarts and last failure; null when stopped. */
    public FollowerHealth health() {
        TopicFollower current = follower;
        return current == null ? null : current.health();
    }

    /** Events read and waiting for their place in the chain. */
    public int pending() {
        return pending.get();
    }

    /** The horizon of the last cycle: every event older than it minus the settle time is chained. */
    public Instant lastCycle() {
        return lastCycle;
    }

    private void chain(AuditTopicReader reader, Instant horizon) {
        List<AuditEntry> released = reader.buffer().releaseUpTo(horizon.minus(config.consumer().settle()));
        List<Span> spans = reader.startAppendSpans(released);
        try {
            appender.appendBlocking(released);
        } catch (RuntimeException | Error e) {
            spans.forEach(span -> span.setStatus(StatusCode.ERROR, e.toString()));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
        reader.commitChained();
        pending.set(reader.buffer().size());
        lastCycle = horizon;
    }
}
