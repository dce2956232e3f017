package io.estuary.frontend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Keycloak token endpoint on loopback that refuses every password and counts the calls. Each call is held until the
 * test opens the gate, so calls that reach it overlap however the machine schedules them. The test, which Quarkus may
 * load in another class loader, drives it over HTTP: {@code GET /calls}, {@code POST /open}, {@code POST /reset}
 * (counts to zero, gate closed).
 */
public class CountingKeycloak implements QuarkusTestResourceLifecycleManager {
    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(1);

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(100));
        server.createContext("/realms/estuary/protocol/openid-connect/token", this::token);
        server.createContext("/calls", exchange -> answer(exchange, 200, Integer.toString(calls.get())));
        server.createContext("/open", exchange -> {
            gate.countDown();
            answer(exchange, 200, "open");
        });
        server.createContext("/reset", exchange -> {
            gate.countDown();
            gate = new CountDownLatch(1);
            calls.set(0);
            answer(exchange, 200, "reset");
        });
        server.start();
        return Map.of("estuary.auth.keycloak.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                // Calls are held until the test opens the gate: the frontend must not give up on them first.
                "estuary.auth.keycloak.timeout", "PT120S");
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!URLDecoder.decode(form, StandardCharsets.UTF_8).contains("grant_type=password")) {
            answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        calls.incrementAndGet();
        try {
            gate.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answer(exchange, 401, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
