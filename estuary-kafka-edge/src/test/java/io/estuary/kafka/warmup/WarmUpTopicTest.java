package io.estuary.kafka.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.KafkaSettings;
import io.estuary.testkit.KafkaTestClient;

/** Round trips on the warm-up topic of the broker the test command started. */
class WarmUpTopicTest {
    private static final KafkaSettings SETTINGS = new KafkaSettings(KafkaTestClient.bootstrapServers(),
            Duration.ZERO, Duration.ZERO);

    private static byte[] record(String name) {
        return ("{\"warm-up\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachRoundsRecordsAreSentAndReadBack() throws Exception {
        try (KafkaTestClient.Tail tail = new KafkaTestClient().tail(Topics.WARM_UP)) {
            WarmUpTopic one = new WarmUpTopic(SETTINGS, Duration.ofSeconds(30));
            WarmUpTopic other = new WarmUpTopic(SETTINGS, Duration.ofSeconds(30));
            one.rehearse(List.of(record("a"), record("b")), Duration.ofMinutes(1));
            other.rehearse(List.of(record("c")), Duration.ofMinutes(1));
            one.rehearse(List.of(record("d")), Duration.ofMinutes(1));
            assertEquals(1, one.roundTrips(), "a round is read back when the next one is sent");
            one.close();
            other.close();
            assertEquals(2, one.roundTrips(), "and the last one when it closes");
            assertEquals(1, other.roundTrips());
            @SuppressWarnings("rawtypes")
            List<Map> read = tail.await(Map.class, value -> value.containsKey("warm-up"), 4, Duration.ofSeconds(30));
            assertEquals(List.of("a", "b", "c", "d"), read.stream().map(value -> value.get("warm-up")).toList(),
                    "on the warm-up topic, in the order sent");
        }
    }

    @Test
    void brokersThatDoNotAnswerFailTheRehearsalWithinItsTimeout() {
        WarmUpTopic nowhere = new WarmUpTopic(new KafkaSettings("127.0.0.1:1", Duration.ZERO, Duration.ZERO),
                Duration.ofSeconds(2));
        // Bounded so that a hang fails the test instead of stalling the suite.
        assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(Exception.class, () -> nowhere.rehearse(List.of(record("x")),
                        Duration.ofMinutes(1))));
        nowhere.close();
    }
}
