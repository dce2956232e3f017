package io.estuary.kafka.follower;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@link RecordHandler} for topics read from their beginning into what a service holds in memory (revocations,
 * issued serial numbers, CRLs): each record's JSON is read as its topic's event type and handed on; a record that
 * cannot be read or handled is skipped with a warning. Once it has read up to the end offsets of its first start, it
 * knows everything published before the service started and runs its caught-up action (again after a failure of that
 * action, never after it succeeded). Topics are added before the follower starts.
 */
public final class EventReader implements RecordHandler {
    private static final Logger LOG = Logger.getLogger(EventReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private record Route<T>(Class<T> type, Consumer<? super T> handler) {
        void handle(ObjectMapper json, byte[] value) throws java.io.IOException {
            handler.accept(json.readValue(value, type));
        }
    }

    private final ObjectMapper json;
    private final Runnable caughtUpAction;
    private final Map<String, Route<?>> routes = new LinkedHashMap<>();
    /** The end offsets at the first start: read up to them, the reader knows every earlier record. */
    private volatile Map<TopicPartition, Long> startEnds;
    private volatile boolean caughtUp;

    public EventReader(ObjectMapper json, Runnable caughtUpAction) {
        this.json = json;
        this.caughtUpAction = caughtUpAction;
    }

    /** Reads the topic's records as {@code type} and hands each to {@code handler}, on the follower's thread. */
    public <T> EventReader on(String topic, Class<T> type, Consumer<? super T> handler) {
        routes.put(topic, new Route<>(type, handler));
        return this;
    }

    /** Every partition of the topics added, from their beginning. */
    public Subscription subscription() {
        return new Subscription(List.copyOf(routes.keySet()), Start.beginning(), Map.of(), POLL_TIMEOUT);
    }

    /** Whether it has read what the topics held at its first start (and its caught-up action has run). */
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void started(Assignment assignment) {
        if (startEnds == null) {
            startEnds = assignment.endOffsets();
        }
        checkCaughtUp(assignment);
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records, Assignment assignment) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Route<?> route = routes.get(record.topic());
            if (route == null) {
                LOG.warnf("a record of topic %s", record.topic());
                continue;
            }
            try {
                route.handle(json, record.value());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warnf("skipped an unreadable record at %s-%d offset %d", record.topic(), record.partition(),
                        record.offset());
            }
        }
        checkCaughtUp(assignment);
    }

    private void checkCaughtUp(Assignment assignment) {
        if (!caughtUp && startEnds.entrySet().stream()
                .allMatch(end -> assignment.position(end.getKey()) >= end.getValue())) {
            caughtUpAction.run();
            caughtUp = true;
        }
    }
}
