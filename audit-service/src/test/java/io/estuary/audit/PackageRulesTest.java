package io.estuary.audit;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

/**
 * command/ (the process's entry point and its replay and verify commands), rest/, messaging/ and health/ sit on top;
 * health/ may also ask messaging/ how its consumer is doing, and command/ may run messaging/'s replay. service/
 * reaches the database through domain's {@code AuditRecords}, {@code ChainStorage} and {@code VerificationLock},
 * which repository/ implements. config/ is at the bottom: any package may read it, it reads none.
 */
class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.audit")
                .layer("command", "messaging", "service", "domain", "config")
                .layer("rest", "service", "domain", "config")
                .layer("health", "messaging", "service", "domain", "config")
                .layer("messaging", "service", "domain", "config")
                .layer("service", "domain", "config")
                .layer("repository", "domain", "config")
                .layer("domain")
                .layer("config")
                .check();
    }
}
