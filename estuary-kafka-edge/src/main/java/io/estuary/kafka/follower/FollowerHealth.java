package io.estuary.kafka.follower;

/**
 * How a {@link TopicFollower} fares.
 *
 * @param restarts    how many times it failed and started again
 * @param lastFailure the last failure, null if none
 */
public record FollowerHealth(String name, State state, long restarts, String lastFailure) {
    public enum State {
        /** Waiting for the topics, or positioning. */
        STARTING,
        /** Assigned, positioned and polling. */
        FOLLOWING,
        /** Failed; pausing before it starts again. */
        RESTARTING,
        /** Closed. */
        STOPPED
    }

    public boolean following() {
        return state == State.FOLLOWING;
    }
}
