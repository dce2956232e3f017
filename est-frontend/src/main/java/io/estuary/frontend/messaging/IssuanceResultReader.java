package io.estuary.frontend.messaging;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.IssuanceResult;
import io.estuary.frontend.config.FrontendConfig;
import io.estuary.frontend.service.IssuanceResults;
import io.estuary.frontend.service.PendingEnrollments;
import io.estuary.results.RecentIssuanceResults;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** The signer's answers: completes this instance's waiting requests and remembers recent ones for retries. */
@ApplicationScoped
public class IssuanceResultReader implements IssuanceResults {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    PendingEnrollments pending;
    @Inject
    FrontendConfig config;

    private RecentIssuanceResults results;

    void start(@Observes StartupEvent event) {
        results = new RecentIssuanceResults(bootstrapServers, config.retryWindow(), objectMapper, pending::complete);
        results.start("issuance-result-reader");
    }

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
}
