package io.estuary.pki;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.pki")
                .layer("ocsp", "ca", "token", "wire")
                .layer("ca", "policy", "token", "wire")
                .layer("policy", "token", "wire")
                .layer("token", "wire")
                .layer("wire")
                .check();
    }
}
