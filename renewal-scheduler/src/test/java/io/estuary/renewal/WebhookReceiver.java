package io.estuary.renewal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A webhook receiver on a free loopback port that answers the first attempt of every event with 503 and later ones
 * with 204, so that each delivery needs one retry. {@code GET /attempts} tells the test, as lines
 * {@code <event id> <attempts> <delivered count>}, what arrived (over HTTP, whatever class loader the test runs in).
 */
public class WebhookReceiver implements QuarkusTestResourceLifecycleManager {
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/hook", this::receive);
        server.createContext("/attempts", this::report);
        server.start();
        return Map.of("estuary.renewal.webhook.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    private void receive(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String eventId = exchange.getRequestHeaders().getFirst("X-Estuary-Event-Id");
        int attempt = attempts.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
        if (attempt == 1) {
            exchange.sendResponseHeaders(503, -1);
        } else {
            delivered.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
        }
        exchange.close();
    }

    private void report(HttpExchange exchange) throws IOException {
        StringBuilder lines = new StringBuilder();
        attempts.forEach((id, count) -> lines.append(id).append(' ').append(count.get()).append(' ')
                .append(delivered.getOrDefault(id, new AtomicInteger()).get()).append('\n'));
        byte[] body = lines.toString().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
