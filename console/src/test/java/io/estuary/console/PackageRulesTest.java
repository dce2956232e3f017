package io.estuary.console;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.PackageRules;

/**
 * rest/ (the pages, the forms, the export pass-through) sits on top and calls the APIs through client/; both use
 * domain/, the APIs' shapes and the console's own layouts of them (the heat map, the search), which imports neither.
 */
class PackageRulesTest {
    @Test
    void packagesDependDownwardOnly() {
        PackageRules.under("io.estuary.console")
                .layer("rest", "client", "domain")
                .layer("client", "domain")
                .layer("domain")
                .check();
    }
}
