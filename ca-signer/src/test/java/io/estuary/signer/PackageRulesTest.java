package io.estuary.signer;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

/**
 * messaging/ and health/ sit on top and call service/; service/ reaches Kafka only through its own interfaces
 * ({@code AnsweredRequests}, {@code CaChainPublisher}), which messaging/ implements. config/ is at the bottom: any
 * package may read it, it reads none. The signer has no database and its events are estuary-contracts' records, so
 * it has neither repository/ nor domain/.
 */
class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.signer")
                .layer("messaging", "service", "config")
                .layer("health", "service", "config")
                .layer("service", "config")
                .layer("config")
                .check();
    }
}
