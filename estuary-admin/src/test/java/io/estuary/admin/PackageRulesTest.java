package io.estuary.admin;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.admin")
                .layer("cli", "audit", "ca", "kafka", "keycloak")
                .layer("audit")
                .layer("ca")
                .layer("kafka")
                .layer("keycloak")
                .check();
    }
}
