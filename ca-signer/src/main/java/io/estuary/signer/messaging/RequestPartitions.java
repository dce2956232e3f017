package io.estuary.signer.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.estuary.signer.service.AnsweredRequests;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * The partitions of the request topic this signer holds, handed over between signers so that no request is signed by
 * two of them. A request redelivered to a new owner may have been answered by the old one just before:
 * <ul>
 * <li>the old owner gives a partition up only once the requests it is signing from it are answered and the broker
 * has the answers (it waits for them when the partition is revoked, up to a bound), and signs nothing more from it;
 * a request of it waiting for the token stops waiting, since the new owner may sign it as soon as its token answers;
 * </li>
 * <li>the new owner signs from a partition only once its reader of answers has read everything published until the
 * partition was assigned (the reader fetches in batches, and lags the topic by a fetch otherwise).</li>
 * </ul>
 * A signer that loses its partitions without revoking them (it stopped heartbeating) cannot wait: another signer may
 * already hold them.
 */
@ApplicationScoped
@Identifier(RequestPartitions.NAME)
public class RequestPartitions implements KafkaConsumerRebalanceListener {
    /** The listener's name in the channel's {@code consumer-rebalance-listener.name}. */
    public static final String NAME = "csr-request-partitions";
    private static final Logger LOG = Logger.getLogger(RequestPartitions.class);

    private final AnsweredRequests answered;
    private final Duration handoverWait;
    private final Set<Integer> held = new HashSet<>();
    /** Requests being signed, with the partitions they came from; guarded by this. */
    private final Map<CompletableFuture<?>, Set<Integer>> signing = new HashMap<>();
    private volatile long catchUp;

    @Inject
    public RequestPartitions(AnsweredRequests answered) {
        // Below the consumer's max.poll.interval.ms (5 minutes): a revocation holds up the poll that runs it.
        this(answered, Duration.ofSeconds(60));
    }

    RequestPartitions(AnsweredRequests answered, Duration handoverWait) {
        this.answered = answered;
        this.handoverWait = handoverWait;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        synchronized (this) {
            partitions.forEach(p -> held.add(p.partition()));
        }
        // Asked before the poll that hands over the partitions' records returns, so before any of them is signed.
        // Kafka calls this once per assignment: were it to throw, the partitions would stay assigned, not held here.
        catchUp = answered.askToCatchUp();
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        giveUp(partitions, true);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        giveUp(partitions, false);
    }

    private void giveUp(Collection<TopicPartition> partitions, boolean handOver) {
        Set<Integer> given = new HashSet<>();
        partitions.forEach(p -> given.add(p.partition()));
        List<CompletableFuture<?>> unfinished = new ArrayList<>();
        synchronized (this) {
            held.removeAll(given);
            signing.forEach((requests, from) -> {
                if (handOver && !java.util.Collections.disjoint(from, given)) {
                    unfinished.add(requests);
                }
            });
        }
        if (unfinished.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(unfinished.toArray(CompletableFuture[]::new))
                    .get(handoverWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("partitions %s were handed over with requests still being signed after %s", given,
                    handoverWait);
        } catch (ExecutionException e) {
            // Their answers failed; the new owner reads the requests again and answers them.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this signer still holds the partition. */
    synchronized boolean holds(int partition) {
        return held.contains(partition);
    }

    /** The latest catch-up asked for: requests are signed only once the answers are read up to it. */
    long catchUp() {
        return catchUp;
    }

    /**
     * Claims the requests of a poll for signing: returns the partitions, of those given, that this signer still holds,
     * and holds up their handover until {@code done} completes. Requests from any other partition are not signed here.
     */
    synchronized Set<Integer> claim(Set<Integer> partitions, CompletableFuture<?> done) {
        Set<Integer> claimed = new HashSet<>(partitions);
        claimed.retainAll(held);
        if (!claimed.isEmpty()) {
            signing.put(done, claimed);
            done.whenComplete((ignored, failure) -> release(done));
        }
        return claimed;
    }

    private synchronized void release(CompletableFuture<?> done) {
        signing.remove(done);
    }
}
