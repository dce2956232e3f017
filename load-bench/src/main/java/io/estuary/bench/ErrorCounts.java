package io.estuary.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** A row's failed requests by kind (an HTTP status, an exception's name, a wrong answer), counted from any worker. */
final class ErrorCounts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void count(String kind) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** A connection failed: counted by its exception, and the connection closed (a worker opens a new one). */
    void failed(HttpConnection connection, java.io.IOException e) {
        count(e.getClass().getSimpleName());
        if (connection != null) {
            connection.close();
        }
    }

    /** "0", or each kind with its count, sorted: a table cell. */
    @Override
    public String toString() {
        return counts.isEmpty() ? "0" : counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().sum())
                .sorted().collect(Collectors.joining(", "));
    }
}
