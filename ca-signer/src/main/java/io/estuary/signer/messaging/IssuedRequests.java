package io.estuary.signer.messaging;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.IssuanceResult;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.kafka.results.RecentIssuanceResults;
import io.estuary.signer.config.SignerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Requests answered recently, by any signer instance, with a decision or a deterministic failure: a request seen again
 * gets the same answer, not a new attempt.
 */
@ApplicationScoped
public class IssuedRequests {
    private static final Logger LOG = Logger.getLogger(IssuedRequests.class);
    @Inject
    TopicFollowers followers;
    @Inject
    SignerConfig config;
    @Inject
    ObjectMapper objectMapper;

    private RecentIssuanceResults results;
    private final Map<String, CompletableFuture<IssuanceResult>> deciding = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent event) {
        results = new RecentIssuanceResults(followers.settings(), config.retryWindow(), objectMapper);
        followers.follow("issued-requests-reader", results.subscription(), results);
    }

    /** The follower is closed by {@link TopicFollowers}; this closes the consumer that reads results back. */
    void stop(@Observes ShutdownEvent event) {
        results.close();
    }

    public boolean caughtUp() {
        return results != null && results.caughtUp();
    }

    public Optional<IssuanceResult> find(String requestId) {
        return results.find(requestId);
    }

    public void record(IssuanceResult result) {
        results.record(result);
    }

    /**
     * A known request's answer is read back from the topic; if the broker cannot give it now, the request waits (as
     * it waits for the token) instead of failing the channel, which would stop this signer for good.
     */
    private Optional<IssuanceResult> findWaitingForTheBroker(String requestId) {
        return UntilAvailable.call(() -> find(requestId), RuntimeException.class, e -> LOG.warnf(
                "request %s: its earlier answer cannot be read back yet (%s); retrying", requestId, e.getMessage()));
    }

    /** A decision, and whether it was made now or given earlier (a retry, a redelivery, a concurrent duplicate). */
    public record Decision(IssuanceResult result, boolean earlier) {
    }

    /**
     * Decides a request at most once although requests are processed concurrently: a duplicate arriving while the
     * first is being signed waits for that result instead of signing again; one arriving later finds it recorded.
     */
    public Decision decideOnce(String requestId, Supplier<IssuanceResult> decide) {
        CompletableFuture<IssuanceResult> mine = new CompletableFuture<>();
        CompletableFuture<IssuanceResult> running = deciding.putIfAbsent(requestId, mine);
        if (running != null) {
            return new Decision(running.join(), true);
        }
        try {
            Optional<IssuanceResult> earlier = findWaitingForTheBroker(requestId);
            if (earlier.isPresent()) {
                mine.complete(earlier.get());
                return new Decision(earlier.get(), true);
            }
            IssuanceResult result = decide.get();
            // Recorded before the claim is released, so a later duplicate finds it.
            record(result);
            mine.complete(result);
            return new Decision(result, false);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            deciding.remove(requestId, mine);
        }
    }
}
