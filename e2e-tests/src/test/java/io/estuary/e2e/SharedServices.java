package io.estuary.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The services ({@code deploy/estuary services-up}) stay up from one test class to the next and stop once, after the
 * last class: a class that needs them fresh or with settings of its own stops them first. Starting six services takes
 * about a minute on two cores, which is why the classes share them.
 */
final class SharedServices implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServices.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Stop.class, key -> new Stop(), Stop.class);
    }

    /** Closed by JUnit when the run ends. */
    private static final class Stop implements AutoCloseable {
        @Override
        public void close() throws Exception {
            LocalStack.script("services-down");
        }
    }
}
