package io.estuary.kafka.follower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.kafka.results.RecentIssuanceResults;
import io.estuary.testkit.KafkaTestClient;

/**
 * A reader on a broker that is stopped and started again (its own broker, not the stack's): what is published once
 * the broker is back reaches the handler, and what was read before is still found.
 */
class BrokerRestartTest {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void theRecentResultsReaderReadsWhatIsPublishedAfterTheBrokerCameBack(@TempDir Path dir) throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir)) {
            broker.createTopic(Topics.ISSUANCE_RESULTS, 2);
            KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), Duration.ofMillis(500),
                    Duration.ofSeconds(5));
            Set<String> heard = ConcurrentHashMap.newKeySet();
            try (RecentIssuanceResults results = new RecentIssuanceResults(kafka, Duration.ofMinutes(15),
                    KafkaTestClient.JSON, r -> heard.add(r.requestId()), 0);
                    TopicFollower follower = new TopicFollower("broker-restart-test", kafka, results.subscription(),
                            results)) {
                follower.start();
                await(results::positioned, "the reader is positioned");
                IssuanceResult before = result();
                publish(broker, before);
                await(() -> heard.contains(before.requestId()), "the result published before the stop is read");

                broker.stop();
                // An outage the reader's consumer notices: its connection is refused until the broker is back.
                Thread.sleep(5_000);
                broker.start();

                IssuanceResult after = result();
                publish(broker, after);
                await(() -> heard.contains(after.requestId()), "the result published after the restart is read");
                await(() -> follower.health().following(), "the follower is following");
                assertTrue(results.knows(before.requestId()));
                assertEquals(Optional.of(before), results.find(before.requestId()));
                assertEquals(Optional.of(after), results.find(after.requestId()));
            }
        }
    }

    private static void publish(KafkaBrokerProcess broker, IssuanceResult result) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(WAIT.toMillis()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.ISSUANCE_RESULTS, result.requester(),
                    KafkaTestClient.JSON.writeValueAsString(result))).get();
        }
    }

    private static IssuanceResult result() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String serial = UUID.randomUUID().toString().replace("-", "");
        return new IssuanceResult(UUID.randomUUID().toString(), "restart-test", "", IssuanceResult.Outcome.ISSUED,
                null, "restart-test-" + serial, "CN=restart-test-" + serial, serial, "CN=Restart Test CA", now,
                now.plusSeconds(3600), "MIIBrestart-" + serial, now);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), what + " within " + WAIT);
    }
}
