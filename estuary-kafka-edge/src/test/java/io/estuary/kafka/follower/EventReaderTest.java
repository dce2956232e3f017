package io.estuary.kafka.follower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The reader alone, called as a follower calls it, on Kafka's MockConsumer (no thread, no broker). */
class EventReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TopicPartition NOTES = new TopicPartition("notes", 0);
    private static final TopicPartition COUNTS = new TopicPartition("counts", 0);
    private static final TopicPartition OTHER = new TopicPartition("other", 0);

    record Note(String text) {
    }

    record Count(int value) {
    }

    private static MockConsumer<byte[], byte[]> consumer(Map<TopicPartition, Long> ends) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(ends.keySet());
        consumer.updateEndOffsets(ends);
        ends.keySet().forEach(partition -> consumer.seek(partition, 0));
        return consumer;
    }

    private static void add(MockConsumer<byte[], byte[]> consumer, TopicPartition partition, long offset,
            String json) {
        consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, new byte[0],
                json.getBytes()));
    }

    @Test
    void eachRecordGoesToItsTopicsHandlerAndItIsCaughtUpOnceItHasReadWhatWasThereAtItsStart() throws Exception {
        List<Note> notes = new ArrayList<>();
        List<Count> counts = new ArrayList<>();
        AtomicInteger caughtUpActions = new AtomicInteger();
        EventReader reader = new EventReader(JSON, caughtUpActions::incrementAndGet)
                .on("notes", Note.class, notes::add)
                .on("counts", Count.class, count -> {
                    if (count.value() < 0) {
                        throw new IllegalArgumentException("a handler refusing the event");
                    }
                    counts.add(count);
                });
        assertEquals(List.of("notes", "counts"), reader.subscription().topics());
        assertEquals(Start.beginning(), reader.subscription().start());

        MockConsumer<byte[], byte[]> consumer = consumer(Map.of(NOTES, 3L, COUNTS, 2L, OTHER, 1L));
        Assignment assignment = new Assignment(consumer, List.of(NOTES, COUNTS, OTHER));
        reader.started(assignment);
        assertFalse(reader.caughtUp());

        add(consumer, NOTES, 0, "{\"text\":\"first\"}");
        add(consumer, NOTES, 1, "not json");
        add(consumer, COUNTS, 0, "{\"value\":-1}");
        add(consumer, OTHER, 0, "{\"text\":\"of a topic it was not given\"}");
        reader.handle(consumer.poll(Duration.ZERO), assignment);
        assertFalse(reader.caughtUp(), "a record of its start is still unread");
        assertEquals(0, caughtUpActions.get());

        add(consumer, NOTES, 2, "{\"text\":\"second\"}");
        add(consumer, COUNTS, 1, "{\"value\":7}");
        reader.handle(consumer.poll(Duration.ZERO), assignment);
        assertTrue(reader.caughtUp());
        assertEquals(1, caughtUpActions.get());

        add(consumer, NOTES, 3, "{\"text\":\"third\"}");
        reader.handle(consumer.poll(Duration.ZERO), assignment);
        assertEquals(List.of(new Note("first"), new Note("second"), new Note("third")), notes,
                "the unreadable record skipped");
        assertEquals(List.of(new Count(7)), counts, "the refused event skipped");

        // A follower that failed starts again from the beginning: still caught up, the action not run again.
        MockConsumer<byte[], byte[]> again = consumer(Map.of(NOTES, 4L, COUNTS, 2L, OTHER, 1L));
        reader.started(new Assignment(again, List.of(NOTES, COUNTS, OTHER)));
        assertTrue(reader.caughtUp());
        assertEquals(1, caughtUpActions.get());
    }

    @Test
    void emptyTopicsAreCaughtUpAtTheStart() throws Exception {
        AtomicInteger caughtUpActions = new AtomicInteger();
        EventReader reader = new EventReader(JSON, caughtUpActions::incrementAndGet).on("notes", Note.class,
                note -> {
                });
        MockConsumer<byte[], byte[]> consumer = consumer(Map.of(NOTES, 0L));
        reader.started(new Assignment(consumer, List.of(NOTES)));
        assertTrue(reader.caughtUp());
        assertEquals(1, caughtUpActions.get());
    }

    @Test
    void aFailedCaughtUpActionRunsAgainAtTheNextStart() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        EventReader reader = new EventReader(JSON, () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("a failing caught-up action");
            }
        }).on("notes", Note.class, note -> {
        });
        MockConsumer<byte[], byte[]> consumer = consumer(Map.of(NOTES, 0L));
        Assignment assignment = new Assignment(consumer, List.of(NOTES));
        assertThrows(IllegalStateException.class, () -> reader.started(assignment),
                "the follower starts again after a pause");
        assertFalse(reader.caughtUp());
        reader.started(assignment);
        assertTrue(reader.caughtUp());
        assertEquals(2, attempts.get());
    }
}
