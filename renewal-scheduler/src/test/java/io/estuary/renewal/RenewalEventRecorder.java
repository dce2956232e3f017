package io.estuary.renewal;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.estuary.contracts.RenewalStatusChanged;
import io.estuary.contracts.Topics;
import io.estuary.testkit.KafkaTestClient;

/** Records every renewal event published on the real broker from its creation on, to count repeats. */
final class RenewalEventRecorder implements AutoCloseable {
    private final ConcurrentLinkedQueue<RenewalStatusChanged> events = new ConcurrentLinkedQueue<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread poller;

    RenewalEventRecorder() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", KafkaTestClient.bootstrapServers());
        properties.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.RENEWAL_EVENTS, Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        CountDownLatch started = new CountDownLatch(1);
        poller = new Thread(() -> {
            started.countDown();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        events.add(KafkaTestClient.JSON.readValue(record.value(), RenewalStatusChanged.class));
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                consumer.close();
            }
        }, "renewal-event-recorder");
        poller.start();
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<RenewalStatusChanged> matching(Predicate<RenewalStatusChanged> match) {
        return events.stream().filter(match).toList();
    }

    List<RenewalStatusChanged.Status> statusesOf(String serialNumber) {
        return matching(e -> e.serialNumber().equals(serialNumber)).stream().map(RenewalStatusChanged::status)
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        poller.join(10_000);
    }
}
