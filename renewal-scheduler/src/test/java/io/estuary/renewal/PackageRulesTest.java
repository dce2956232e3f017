package io.estuary.renewal;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

/**
 * rest/, messaging/ and health/ sit on top and call service/; service/ reaches the database through domain's
 * {@code CertificateStore}, which repository/ implements, and Kafka through its own {@code RenewalEventPublisher},
 * which messaging/ implements. config/ is at the bottom: any package may read it, it reads none.
 */
class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.renewal")
                .layer("rest", "service", "domain", "config")
                .layer("messaging", "service", "domain", "config")
                .layer("health", "service", "domain", "config")
                .layer("service", "domain", "config")
                .layer("repository", "domain", "config")
                .layer("domain")
                .layer("config")
                .check();
    }
}
