package io.estuary.kafka.follower;

import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * What a {@link TopicFollower} does with what it reads. Every call is made on the follower's thread. A call that
 * throws makes the follower start again, after a pause, from its {@link Start}.
 */
public interface RecordHandler {
    /** The consumer is assigned and positioned, at every start, before the first poll. */
    default void started(Assignment assignment) throws Exception {
    }

    /** The records of one poll, possibly none. */
    void handle(ConsumerRecords<byte[], byte[]> records, Assignment assignment) throws Exception;

    /** The consumer is closed: the follower failed, or was closed. */
    default void stopped() {
    }
}
