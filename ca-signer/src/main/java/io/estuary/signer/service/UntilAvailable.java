package io.estuary.signer.service;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Calls something that fails while a dependency is away (the token, the broker) until it succeeds, waiting 200 ms
 * and doubling up to 10 s between attempts: a request waits for what it needs instead of being rejected or failing
 * the messaging channel.
 */
final class UntilAvailable {
    private UntilAvailable() {
    }

    /**
     * @param call             what to call
     * @param transientFailure the failures that mean "not available yet"; anything else propagates at once
     * @param onFailure        told of each failed attempt (for the log)
     */
    static <T> T call(Supplier<T> call, Class<? extends RuntimeException> transientFailure,
            Consumer<RuntimeException> onFailure) {
        long backoffMillis = 200;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!transientFailure.isInstance(e)) {
                    throw e;
                }
                onFailure.accept(e);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 10_000);
            }
        }
    }
}
