package io.estuary.kafka.follower;

import java.time.Instant;
import java.util.function.Supplier;

/** Where a {@link TopicFollower} starts reading, each time it starts. */
public sealed interface Start {
    /** From the first record still in each partition. */
    static Start beginning() {
        return new Beginning();
    }

    /** From the first record at or after the time given, asked anew at each start; at the end if there is none. */
    static Start since(Supplier<Instant> time) {
        return new Since(time);
    }

    /** From the offsets the consumer group last committed; from the beginning where it committed none. */
    static Start committed(String groupId) {
        return new Committed(groupId);
    }

    record Beginning() implements Start {
    }

    record Since(Supplier<Instant> time) implements Start {
    }

    record Committed(String groupId) implements Start {
    }
}
