package io.estuary.signer.messaging;

import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.IssuanceResult;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.kafka.results.RecentIssuanceResults;
import io.estuary.signer.config.SignerConfig;
import io.estuary.signer.service.AnsweredRequests;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Requests answered recently, by any signer instance, with a decision or a deterministic failure: a request seen again
 * gets the same answer, not a new attempt.
 */
@ApplicationScoped
public class IssuedRequests implements AnsweredRequests {
    @Inject
    TopicFollowers followers;
    @Inject
    SignerConfig config;
    @Inject
    ObjectMapper objectMapper;

    private RecentIssuanceResults results;

    // Created with the bean, not at startup: the request channel may hand this signer partitions, and ask for a
    // catch-up (RequestPartitions), before the application has started.
    @PostConstruct
    void create() {
        results = new RecentIssuanceResults(followers.settings(), config.retryWindow(), objectMapper);
    }

    void start(@Observes StartupEvent event) {
        followers.follow("issued-requests-reader", results.subscription(), results);
    }

    /** The follower is closed by {@link TopicFollowers}; this closes the consumer that reads results back. */
    void stop(@Observes ShutdownEvent event) {
        results.close();
    }

    @Override
    public boolean caughtUp() {
        return results.caughtUp();
    }

    @Override
    public long askToCatchUp() {
        return results.askToCatchUp();
    }

    @Override
    public boolean caughtUpWith(long ask) {
        return results.caughtUpWith(ask);
    }

    @Override
    public Optional<IssuanceResult> find(String requestId) {
        return results.find(requestId);
    }

    @Override
    public void record(IssuanceResult result) {
        results.record(result);
    }
}
