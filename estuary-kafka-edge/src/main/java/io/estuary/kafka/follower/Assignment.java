package io.estuary.kafka.follower;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The partitions a follower's consumer reads, as its handler may see and steer them between polls. */
public final class Assignment {
    private final Consumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;

    Assignment(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        this.consumer = consumer;
        this.partitions = List.copyOf(partitions);
    }

    public List<TopicPartition> partitions() {
        return partitions;
    }

    /** The offset of the next record to be read from the partition. */
    public long position(TopicPartition partition) {
        return consumer.position(partition);
    }

    /** The end offset of every partition (with read_committed, the last stable offset). */
    public Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions);
    }

    public Set<TopicPartition> paused() {
        return consumer.paused();
    }

    public void pause(Collection<TopicPartition> paused) {
        consumer.pause(paused);
    }

    public void resume(Collection<TopicPartition> resumed) {
        consumer.resume(resumed);
    }

    /** Commits the offsets given (each the next record to read) for the follower's consumer group. */
    public void commit(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> committed.put(partition, new OffsetAndMetadata(offset)));
        consumer.commitSync(committed);
    }
}
