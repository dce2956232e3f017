package io.estuary.audit.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.estuary.audit.config.AuditConfig;
import io.estuary.audit.service.AuditChainAppender;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the audit store up to date with the topics, on one thread of its own. Each cycle reads every partition towards
 * its current end (a bounded number of events: a consumer far behind catches up in many cycles, not in one that holds
 * the whole backlog in memory), chains the events old enough to be in their final order (see
 * {@link AuditConfig.Consumer#settle()}), then commits offsets. Offsets are committed only after the database transaction: a crash in between re-reads
 * events the store already has, which the appender skips by event id. On a broker or database failure the reader is
 * rebuilt from the committed offsets.
 */
@ApplicationScoped
public class AuditStreamConsumer {
    private static final Logger LOG = Logger.getLogger(AuditStreamConsumer.class);

    @Inject
    AuditConfig config;
    @Inject
    AuditChainAppender appender;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final Clock clock = Clock.systemUTC();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean running;
    private volatile AuditTopicReader reader;
    private volatile Instant lastCycle;
    private volatile Thread thread;

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
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "audit-stream-consumer");
        thread.start();
    }

    /** Stops after the current cycle; events read but not chained are read again at the next start. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        AuditTopicReader current = reader;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** Started and its thread still alive: false after an error the thread could not survive. */
    public boolean isAlive() {
        Thread current = thread;
        return running && current != null && current.isAlive();
    }

    /** Events read and waiting for their place in the chain. */
    public int pending() {
        return pending.get();
    }

    /** The horizon of the last cycle: every event older than it minus the settle time is chained. */
    public Instant lastCycle() {
        return lastCycle;
    }

    private void run() {
        while (running) {
            try (AuditTopicReader current = new AuditTopicReader(bootstrapServers, config.consumer().groupId(),
                    config.consumer().pollTimeout(), clock)) {
                reader = current;
                while (running) {
                    Instant horizon = current.readCycle(() -> running, current.ends(),
                            config.consumer().maxRecordsPerCycle(), config.consumer().settle());
                    if (!running) {
                        break;
                    }
                    appender.appendBlocking(current.buffer().releaseUpTo(horizon.minus(config.consumer().settle())));
                    current.commitChained();
                    pending.set(current.buffer().size());
                    lastCycle = horizon;
                }
            } catch (WakeupException e) {
                // stop() interrupted a poll
            } catch (Exception e) {
                LOG.errorf("the audit consumer failed (%s); resuming from the committed offsets in %s",
                        e.toString(), config.consumer().retryBackoff());
                pause();
            } catch (OutOfMemoryError e) {
                // The heap is the whole service's: a request that filled it must not end the consumer. What this
                // cycle read is dropped with the reader and read again from the committed offsets.
                LOG.errorf("the audit consumer ran out of memory (%s); resuming from the committed offsets in %s",
                        e.toString(), config.consumer().retryBackoff());
                pause();
            } catch (Error e) {
                // Not survivable here (a broken class path): the thread ends, logged once, and health
                // reports it (running, not alive) until a restart resumes from the committed offsets.
                LOG.errorf(e, "the audit consumer stopped; the service is no longer live");
                return;
            } finally {
                reader = null;
            }
        }
        pending.set(0);
    }

    private void pause() {
        try {
            Thread.sleep(config.consumer().retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
