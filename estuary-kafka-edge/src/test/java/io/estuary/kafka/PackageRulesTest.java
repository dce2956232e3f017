package io.estuary.kafka;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.kafka")
                .layer("quarkus", "follower", "tracing")
                .layer("results", "follower")
                .layer("warmup", "follower")
                .layer("follower")
                .layer("tracing")
                .check();
    }
}
