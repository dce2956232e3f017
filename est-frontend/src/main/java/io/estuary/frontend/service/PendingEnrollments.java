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

    /** A wait for a request; {@code first} tells whether this caller must publish it (nobody here waits for it yet). */
    public record Waiting(CompletableFuture<IssuanceResult> answer, boolean first) {
    }

    public Waiting join(String requestId) {
        CompletableFuture<IssuanceResult> fresh = new CompletableFuture<>();
        CompletableFuture<IssuanceResult> existing = pending.putIfAbsent(requestId, fresh);
        return existing == null ? new Waiting(fresh, true) : new Waiting(existing, false);
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

    /** How many requests wait for the signer now. */
    public int size() {
        return pending.size();
    }
}
