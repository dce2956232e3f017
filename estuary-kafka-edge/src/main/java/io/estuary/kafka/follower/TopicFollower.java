package io.estuary.kafka.follower;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Follows every partition of some topics on a thread of its own and hands each poll's records to a
 * {@link RecordHandler}. It assigns the partitions itself, without group rebalancing (a reader that needs all of them
 * gets all of them), waits for the topics to exist, and positions the consumer as its {@link Start} says. After any
 * failure (the broker went away, a poll or the handler threw) it closes the consumer, pauses, and starts again with a
 * new one from its {@link Start}: it never stops for good until it is closed.
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Subscription subscription;
    private final RecordHandler handler;
    private final long firstRestartMillis;
    private final long maxRestartMillis;
    private volatile boolean running;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile FollowerHealth.State state = FollowerHealth.State.STARTING;
    private volatile long restarts;
    private volatile String lastFailure;

    /** Reads from the brokers of the settings, with a consumer of its own (and the group of a committed start). */
    public TopicFollower(String name, KafkaSettings kafka, Subscription subscription, RecordHandler handler) {
        this(name, () -> new KafkaConsumer<>(consumerProperties(kafka, subscription), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), subscription, handler, kafka.firstRestart(), kafka.maxRestart());
    }

    /** Reads through the consumers given, a new one at each start (a test's MockConsumer). */
    public TopicFollower(String name, Supplier<Consumer<byte[], byte[]>> consumers, Subscription subscription,
            RecordHandler handler, Duration firstRestart, Duration maxRestart) {
        this.name = name;
        this.consumers = consumers;
        this.subscription = subscription;
        this.handler = handler;
        this.firstRestartMillis = firstRestart.toMillis();
        this.maxRestartMillis = maxRestart.toMillis();
    }

    private static Properties consumerProperties(KafkaSettings kafka, Subscription subscription) {
        Properties properties = kafka.consumerProperties();
        if (subscription.start() instanceof Start.Committed committed) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, committed.groupId());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        }
        properties.putAll(subscription.consumerProperties());
        return properties;
    }

    public String name() {
        return name;
    }

    /** Starts the reading thread; once only. */
    public synchronized TopicFollower start() {
        if (thread == null) {
            running = true;
            Thread reader = new Thread(this::run, name);
            reader.setDaemon(true);
            thread = reader;
            reader.start();
        }
        return this;
    }

    public FollowerHealth health() {
        return new FollowerHealth(name, state, restarts, lastFailure);
    }

    /**
     * Stops reading and waits for the thread: a poll in progress is woken and a pause cut short, but a handler's call
     * in progress (a database write) is not interrupted; the handler's next poll ends it.
     */
    @Override
    public void close() {
        Thread reader;
        synchronized (this) {
            running = false;
            reader = thread;
            notifyAll(); // ends a pause
        }
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null && reader != Thread.currentThread()) {
            try {
                reader.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = FollowerHealth.State.STOPPED;
    }

    private void run() {
        long pauseMillis = firstRestartMillis;
        while (running) {
            try (Consumer<byte[], byte[]> kafka = consumers.get()) {
                consumer = kafka;
                if (!running) {
                    break; // closed before this consumer could be woken
                }
                Assignment assignment = position(kafka);
                handler.started(assignment);
                state = FollowerHealth.State.FOLLOWING;
                LOG.infof("%s: following %s on %d partitions", name, subscription.topics(),
                        assignment.partitions().size());
                while (running) {
                    handler.handle(kafka.poll(subscription.pollTimeout()), assignment);
                    pauseMillis = firstRestartMillis; // reading again
                }
            } catch (WakeupException | InterruptException e) {
                if (!running) {
                    break; // closing
                }
                fail(e, pauseMillis);
            } catch (Exception | Error e) {
                // Any error, an OutOfMemoryError included: the heap is the whole service's, and what this reader
                // held is dropped with its consumer and read again.
                if (!running) {
                    break;
                }
                fail(e, pauseMillis);
            } finally {
                consumer = null;
                handler.stopped();
            }
            pause(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, maxRestartMillis);
        }
        state = FollowerHealth.State.STOPPED;
    }

    /** Waits, until {@link #close} if it comes first. */
    private synchronized void pause(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        try {
            for (long left = millis; running && left > 0; left = (end - System.nanoTime()) / 1_000_000) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void fail(Throwable e, long pauseMillis) {
        restarts++;
        lastFailure = e.toString();
        state = FollowerHealth.State.RESTARTING;
        LOG.errorf(e, "%s failed; starting it again in %d ms", name, pauseMillis);
    }

    private Assignment position(Consumer<byte[], byte[]> kafka) {
        List<TopicPartition> partitions = awaitPartitions(kafka);
        kafka.assign(partitions);
        if (subscription.start() instanceof Start.Beginning) {
            kafka.seekToBeginning(partitions);
        } else if (subscription.start() instanceof Start.Since since) {
            long time = since.time().get().toEpochMilli();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, time));
            Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(query, OFFSETS_TIMEOUT);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = offsets.get(partition);
                if (offset == null) {
                    kafka.seekToEnd(List.of(partition));
                } else {
                    kafka.seek(partition, offset.offset());
                }
            }
        }
        // A committed start: the consumer's group and offset reset (earliest) position it.
        for (TopicPartition partition : partitions) {
            kafka.position(partition, OFFSETS_TIMEOUT); // positioned now: records published from here on are read
        }
        return new Assignment(kafka, partitions);
    }

    /** Every partition of every topic, once all of them exist. */
    private List<TopicPartition> awaitPartitions(Consumer<byte[], byte[]> kafka) {
        while (running) {
            List<TopicPartition> partitions = new ArrayList<>();
            String missing = null;
            try {
                for (String topic : subscription.topics()) {
                    List<PartitionInfo> infos = kafka.partitionsFor(topic, METADATA_TIMEOUT);
                    if (infos == null || infos.isEmpty()) {
                        missing = topic;
                        break;
                    }
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            } catch (TimeoutException e) {
                LOG.warnf("%s: the brokers are not reachable yet (%s)", name, e.getMessage());
                continue;
            }
            if (missing == null) {
                return partitions;
            }
            LOG.warnf("%s: topic %s does not exist yet", name, missing);
            pause(1000);
        }
        throw new WakeupException();
    }
}
