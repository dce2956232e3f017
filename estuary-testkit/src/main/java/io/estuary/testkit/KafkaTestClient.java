package io.estuary.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Talks to the real broker the test command started ({@code ESTUARY_KAFKA_BOOTSTRAP}). */
public final class KafkaTestClient implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final KafkaProducer<String, String> producer;

    public KafkaTestClient() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers());
        producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    public static String bootstrapServers() {
        String bootstrap = System.getenv("ESTUARY_KAFKA_BOOTSTRAP");
        return bootstrap == null || bootstrap.isBlank() ? "127.0.0.1:9092" : bootstrap;
    }

    public void send(String topic, String key, Object event) {
        try {
            String value = event instanceof String s ? s : JSON.writeValueAsString(event);
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** Publishes without waiting for the broker; {@link #flush()} waits for everything sent. */
    public void sendAsync(String topic, String key, Object event) {
        try {
            producer.send(new ProducerRecord<>(topic, key, JSON.writeValueAsString(event)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void flush() {
        producer.flush();
    }

    /** Starts reading a topic from its current end; later records can then be awaited. */
    public Tail tail(String topic) {
        return new Tail(topic);
    }

    @Override
    public void close() {
        producer.close();
    }

    public static final class Tail implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;

        private Tail(String topic) {
            Properties properties = new Properties();
            properties.put("bootstrap.servers", bootstrapServers());
            properties.put("enable.auto.commit", "false");
            consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /** The first record whose value matches, read as {@code type}; fails after the timeout. */
        public <T> T await(Class<T> type, Predicate<T> match, Duration timeout) {
            return await(type, match, 1, timeout).get(0);
        }

        /** The first {@code count} records whose values match, in arrival order; fails after the timeout. */
        public <T> List<T> await(Class<T> type, Predicate<T> match, int count, Duration timeout) {
            List<T> found = new java.util.ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        T value = JSON.readValue(record.value(), type);
                        if (match.test(value)) {
                            found.add(value);
                            if (found.size() == count) {
                                return found;
                            }
                        }
                    } catch (java.io.IOException e) {
                        // not this type: skip
                    }
                }
            }
            throw new AssertionError("only " + found.size() + " of " + count + " matching " + type.getSimpleName()
                    + " within " + timeout);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
