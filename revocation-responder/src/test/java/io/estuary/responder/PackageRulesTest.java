package io.estuary.responder;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

/**
 * rest/, messaging/ and health/ sit on top and call service/; service/ holds what the responder knows in domain/.
 * The responder has no database: what it knows is read from Kafka at every start.
 */
class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.responder")
                .layer("rest", "service", "domain")
                .layer("messaging", "service")
                .layer("health", "service")
                .layer("service", "domain")
                .layer("domain")
                .check();
    }
}
