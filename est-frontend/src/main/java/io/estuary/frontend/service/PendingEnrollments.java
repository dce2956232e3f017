package io.estuary.frontend.service;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.estuary.contracts.IssuanceResult;

/** Requests this frontend instance published and is still waiting on, by request id. */
@ApplicationScoped
public class PendingEnrollments {
    private final Map<String, CompletableFuture<IssuanceResult>> pending = new ConcurrentHashMap<>();

    public CompletableFuture<IssuanceResult> register(String requestId) {
        CompletableFuture<IssuanceResult> future = new CompletableFuture<>();
        pending.put(requestId, future);
        return future;
    }

    /** Completes the waiting request, if this instance has one with that id; other instances' answers are ignored. */
    public void complete(IssuanceResult result) {
        CompletableFuture<IssuanceResult> future = pending.remove(result.requestId());
        if (future != null) {
            future.complete(result);
        }
    }

    public void forget(String requestId) {
        pending.remove(requestId);
    }

    public int size() {
        return pending.size();
    }
}
