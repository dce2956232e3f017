package io.estuary.kafka.warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.KafkaSettings;
import io.estuary.pki.ca.IssuanceWarmUp;

/**
 * The warm-up's round trips on {@link Topics#WARM_UP}: each round's records sent and read back by a producer and a
 * consumer of the service's own, on its brokers with its settings, so the Kafka client's send and fetch code is
 * compiled before the service reports ready. The records carry a key of this instance's; other instances' records on
 * the topic are read past. Nothing else reads the topic, and it keeps records an hour.
 */
public final class WarmUpTopic implements IssuanceWarmUp.Transport {
    private static final Duration LAST_ROUND_WAIT = Duration.ofSeconds(1);
    private final KafkaSettings settings;
    private final Duration timeout;
    private final String key = "warm-up-" + UUID.randomUUID();
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();
    private int unread;
    private long roundTrips;

    /** @param timeout how long opening the clients, or a round trip, may take before the rehearsal drops Kafka */
    public WarmUpTopic(KafkaSettings settings, Duration timeout) {
        this.settings = settings;
        this.timeout = timeout;
    }

    /**
     * Reads back the previous round's records (they had the caller's round of work to arrive), then sends this
     * round's: one round in flight, so the round's own work and the broker's answers overlap.
     */
    @Override
    public void rehearse(List<byte[]> records, Duration remaining) throws Exception {
        if (producer == null) {
            open();
        }
        boolean ending = remaining.compareTo(timeout) < 0;
        if (!readBack(ending ? remaining : timeout)) {
            if (ending) {
                return;
            }
            throw new java.util.concurrent.TimeoutException(String.format(
                    "%d records not read back from %s within %s", unread, Topics.WARM_UP, timeout));
        }
        for (byte[] record : records) {
            inFlight.add(producer.send(new ProducerRecord<>(Topics.WARM_UP, key, record)));
        }
        unread += records.size();
        read(Duration.ZERO);
    }

    /** Whether the records sent were all read back within the time given (a send that failed throws). */
    private boolean readBack(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (unread > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            read(Duration.ofMillis(100));
        }
        for (Future<RecordMetadata> sent : inFlight) {
            sent.get();
        }
        if (!inFlight.isEmpty()) {
            roundTrips++;
        }
        inFlight.clear();
        return true;
    }

    private void read(Duration wait) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            if (key.equals(record.key())) {
                unread--;
            }
        }
    }

    private void open() {
        Properties producing = settings.clientProperties();
        producing.put(CommonClientConfigs.CLIENT_ID_CONFIG, "estuary-warm-up-producer");
        // As the services' request/response channels: sent at once.
        producing.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producing.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        producer = new KafkaProducer<>(producing, new StringSerializer(), new ByteArraySerializer());
        Properties consuming = settings.consumerProperties();
        consuming.put(CommonClientConfigs.CLIENT_ID_CONFIG, "estuary-warm-up-consumer");
        consumer = new KafkaConsumer<>(consuming, new StringDeserializer(), new ByteArrayDeserializer());
        List<PartitionInfo> partitions = consumer.partitionsFor(Topics.WARM_UP, timeout);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("the topic " + Topics.WARM_UP + " does not exist (estuary-admin topics "
                    + "create makes it)");
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(partition -> consumer.position(partition, timeout));
    }

    /** Rounds sent and read back so far. */
    public long roundTrips() {
        return roundTrips;
    }

    /** Reads back the last round's records if they come within a second, then closes. */
    @Override
    public void close() {
        if (consumer != null) {
            try {
                readBack(LAST_ROUND_WAIT);
            } catch (Exception e) {
                // the rehearsal is over, and the service about to report ready: its last round does not matter
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(1));
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    @Override
    public String toString() {
        return "Kafka round trips on " + Topics.WARM_UP + " (" + roundTrips + ")";
    }
}
