package io.estuary.signer.messaging;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.estuary.contracts.Channels;
import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.kafka.tracing.RecordTracing;
import io.estuary.signer.service.AnsweredRequests;
import io.estuary.signer.service.RequestDecisions;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/** Consumes CSR events a poll at a time and publishes each answer keyed like the request. */
@ApplicationScoped
public class CsrRequestConsumer {
    /** The worker pool requests are signed on; its size is {@code smallrye.messaging.worker.signing.max-concurrency}. */
    static final String SIGNING_POOL = "signing";
    private static final Logger LOG = Logger.getLogger(CsrRequestConsumer.class);

    @Inject
    RequestDecisions decisions;
    @Inject
    AnsweredRequests answeredRequests;
    @Inject
    IssuanceResultPublisher publisher;
    @Inject
    RecordTracing tracing;
    @Inject
    @Identifier(RequestPartitions.NAME)
    RequestPartitions partitions;

    @Incoming(Channels.CSR_REQUESTS)
    // The HSM call blocks. A poll's requests are signed one after another on one thread of the signing pool and their
    // answers sent from there; the poll is acknowledged once the broker has all of them. One request at a time, each
    // crossed the event loop, the pool and a sending thread (about an eighth of the signer's CPU in thread wake-ups);
    // now a poll crosses them once. Polls are signed concurrently (bounded by the pool's max-concurrency), offsets
    // are still committed in order, and a slow request (a server-generated RSA key) holds up only those polled with it.
    @Blocking(value = SIGNING_POOL, ordered = false)
    public CompletionStage<Void> onRequests(List<CsrSubmitted> requests,
            IncomingKafkaRecordBatchMetadata<String, CsrSubmitted> batch) {
        awaitRecentResults();
        List<Message<?>> records = batch.getBatchedMessages();
        int[] partitionOf = new int[records.size()];
        Set<Integer> polledFrom = new HashSet<>();
        for (int i = 0; i < partitionOf.length; i++) {
            partitionOf[i] = records.get(i).getMetadata(IncomingKafkaRecordMetadata.class)
                    .orElseThrow().getPartition();
            polledFrom.add(partitionOf[i]);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Set<Integer> claimed = partitions.claim(polledFrom, done);
        if (!claimed.containsAll(polledFrom)) {
            // Handed over since the poll: the new owner of those partitions reads these requests again.
            Set<Integer> given = new HashSet<>(polledFrom);
            given.removeAll(claimed);
            LOG.infof("requests polled from partitions %s are left to their new owner", given);
        }
        try {
            CompletableFuture<?>[] answered = new CompletableFuture<?>[requests.size()];
            for (int i = 0; i < answered.length; i++) {
                if (!claimed.contains(partitionOf[i])) {
                    answered[i] = CompletableFuture.completedFuture(null);
                    continue;
                }
                CsrSubmitted request = requests.get(i);
                answered[i] = tracing.enabled() ? answerAndPublish(request, partitionOf[i], headers(records.get(i)))
                        : answerAndPublish(request, partitionOf[i]);
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(answered);
            all.whenComplete((ignored, failure) -> done.complete(null));
            return all;
        } catch (RuntimeException | Error e) {
            done.complete(null);
            throw e;
        }
    }

    /** Decides and publishes under the trace the request's record carries, in a span "sign". */
    private CompletableFuture<?> answerAndPublish(CsrSubmitted request, int partition, Headers headers) {
        try (Scope parent = tracing.parent(headers).makeCurrent()) {
            Span span = tracing.startSpan("sign");
            try (Scope signing = span.makeCurrent()) {
                return answerAndPublish(request, partition);
            } finally {
                span.end();
            }
        }
    }

    private CompletableFuture<?> answerAndPublish(CsrSubmitted request, int partition) {
        IssuanceResult result = answer(request, partition);
        return result == null ? CompletableFuture.completedFuture(null)
                : publisher.publish(request.requester(), result);
    }

    private static Headers headers(Message<?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getHeaders)
                .orElse(null);
    }

    /**
     * The answer to one request, decided at most once; null for an event that could not be read, or for a request
     * whose partition was handed over while it waited for the token.
     */
    IssuanceResult answer(CsrSubmitted request, int partition) {
        if (request == null) {
            // An undeserializable record: nothing to answer to, and no requester to tell.
            LOG.warn("skipped a CSR event that could not be read");
            return null;
        }
        return decisions.answer(request, () -> partitions.holds(partition));
    }

    /**
     * Until the reader has caught up, with what was published before this signer started and before it last took
     * over partitions, a redelivered request could not be recognised.
     */
    private void awaitRecentResults() {
        long catchUp = partitions.catchUp();
        while (!answeredRequests.caughtUp() || !answeredRequests.caughtUpWith(catchUp)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading recent results", e);
            }
        }
    }
}
