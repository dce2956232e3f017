package io.estuary.frontend.messaging;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.IssuanceResult;
import io.estuary.frontend.config.FrontendConfig;
import io.estuary.frontend.service.IssuanceResults;
import io.estuary.frontend.service.PendingEnrollments;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.kafka.results.RecentIssuanceResults;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** The signer's answers: completes this instance's waiting requests and remembers recent ones for retries. */
@ApplicationScoped
public class IssuanceResultReader implements IssuanceResults {
    @Inject
    TopicFollowers followers;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    PendingEnrollments pending;
    @Inject
    FrontendConfig config;

    private RecentIssuanceResults results;

    void start(@Observes StartupEvent event) {
        results = new RecentIssuanceResults(followers.settings(), config.retryWindow(), objectMapper,
                pending::complete, config.retryResultsHeld());
        followers.follow("issuance-result-reader", results.subscription(), results);
    }

    /** The follower is closed by {@link TopicFollowers}; this closes the consumer that reads results back. */
    void stop(@Observes ShutdownEvent event) {
        results.close();
    }

    @Override
    public boolean positioned() {
        return results != null && results.positioned();
    }

    @Override
    public boolean knows(String requestId) {
        return results.knows(requestId);
    }

    @Override
    public Optional<IssuanceResult> find(String requestId) {
        return results.find(requestId);
    }

    @Override
    public Optional<IssuanceResult> findHeld(String requestId) {
        return results.findHeld(requestId);
    }
}
