package io.estuary.frontend;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

/**
 * The frontend's packages depend downward only: the HTTP edge (rest, with the listener's guards below it) over the
 * service, Kafka (messaging) beside the edge and implementing the service's interfaces, the plain-Java authentication
 * checks (auth) below the service, and domain — values and refusals every layer shares — at the bottom.
 */
class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.frontend")
                .layer("rest", "service", "listener", "warmup", "domain")
                .layer("health", "service", "warmup", "domain")
                .layer("messaging", "service", "config", "domain")
                .layer("warmup", "tls", "config")
                .layer("tls", "auth", "config")
                .layer("listener", "auth")
                .layer("service", "auth", "config", "domain")
                .layer("auth", "domain")
                .layer("config")
                .layer("domain")
                .check();
    }
}
