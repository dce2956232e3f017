package io.estuary.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.estuary.frontend.listener.ListenerGuard;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.RawHttpExchange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The EST listener's connection limits over raw sockets: slow heads, slow bodies and silent kept-alive connections are
 * closed while other clients are served, and one address holds a bounded number of connections. The test profile's
 * deadlines are 2 s (head, body) and 3 s (keep-alive), the cap 100; "closed in time" allows three times the deadline.
 */
@QuarkusTest
@QuarkusTestResource(TestCaChainResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class ListenerLimitsTest {
    private static final String BASIC = "Authorization: Basic "
            + Base64.getEncoder().encodeToString("estuary-demo:test-password".getBytes(StandardCharsets.UTF_8));
    /** How long a client waits for anything before the test gives up on it. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TestHTTPResource
    URL url;

    @Inject
    ListenerGuard guard;

    @ConfigProperty(name = "estuary.listener.header-timeout")
    Duration headerTimeout;

    @ConfigProperty(name = "estuary.listener.body-timeout")
    Duration bodyTimeout;

    @ConfigProperty(name = "estuary.listener.keep-alive-timeout")
    Duration keepAliveTimeout;

    @ConfigProperty(name = "estuary.listener.max-connections-per-address")
    int cap;

    @BeforeEach
    void awaitTheGuardAndTheCaChain() throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!guard.guardedPorts().contains(url.getPort())) {
            assertTrue(Instant.now().isBefore(deadline), "the listener's limits were never installed");
            Thread.sleep(100);
        }
        while (cacerts(InetAddress.getLoopbackAddress()) != 200) {
            assertTrue(Instant.now().isBefore(deadline), "the frontend never served the test CA's chain");
            Thread.sleep(200);
        }
    }

    @Test
    void aHeadTrickledByteByByteIsClosedWhileOthersAreServed() throws Exception {
        try (Socket slow = connect(InetAddress.getLoopbackAddress())) {
            Instant connected = Instant.now();
            CompletableFuture<Void> closed = closedBy(slow);
            OutputStream out = slow.getOutputStream();
            out.write("GET /.well-known/est/cacerts HTTP/1.1\r\nHost: x\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
            // A byte every 300 ms: no idle timeout would ever fire.
            while (!closed.isDone() && Instant.now().isBefore(connected.plus(PATIENCE))) {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException e) {
                    break;
                }
                assertEquals(200, cacerts(InetAddress.getLoopbackAddress()), "a normal client is served meanwhile");
                Thread.sleep(300);
            }
            closed.get();
            assertClosedWithin(connected, headerTimeout.multipliedBy(3), "the trickled head");
        }
    }

    @Test
    void aBodyTrickledByteByByteIsClosed() throws Exception {
        try (Socket slow = connect(InetAddress.getLoopbackAddress())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: x\r\n" + BASIC
                    + "\r\nContent-Type: application/pkcs10\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Instant headSent = Instant.now();
            CompletableFuture<Void> closed = closedBy(slow);
            while (!closed.isDone() && Instant.now().isBefore(headSent.plus(PATIENCE))) {
                try {
                    out.write('A');
                    out.flush();
                } catch (IOException e) {
                    break;
                }
                Thread.sleep(300);
            }
            closed.get();
            assertClosedWithin(headSent, bodyTimeout.multipliedBy(3), "the trickled body");
        }
    }

    @Test
    void aSilentKeptAliveConnectionIsClosedAfterItsAnswer() throws Exception {
        try (Socket socket = connect(InetAddress.getLoopbackAddress())) {
            RawHttpExchange answer = RawHttpExchange.send(socket, "GET /.well-known/est/cacerts HTTP/1.1\r\nHost: x",
                    null);
            assertEquals(200, answer.status());
            Instant answered = Instant.now();
            closedBy(socket).get();
            assertClosedWithin(answered, keepAliveTimeout.multipliedBy(3), "the silent kept-alive connection");
        }
    }

    @Test
    void oneAddressHoldsAtMostTheCapWhileOthersAreServed() throws Exception {
        InetAddress crowded = InetAddress.getByName("127.0.0.3");
        // The connections held count only until their own head deadline ends them: an attempt that took longer than
        // that proves nothing either way and is made again.
        for (int attempt = 0;; attempt++) {
            List<Socket> held = new ArrayList<>();
            try {
                Instant start = Instant.now();
                for (int i = 0; i < cap; i++) {
                    held.add(connect(crowded));
                }
                int overTheCap = cacerts(crowded);
                boolean conclusive = Duration.between(start, Instant.now()).compareTo(headerTimeout) < 0;
                if (conclusive) {
                    assertEquals(-1, overTheCap, "a connection over the cap is closed unanswered");
                    assertEquals(200, cacerts(InetAddress.getLoopbackAddress()), "another address is served");
                    break;
                }
                if (attempt == 5) {
                    fail("could not open " + cap + " connections within " + headerTimeout);
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
        // The held connections closed, the address is served again.
        Instant deadline = Instant.now().plus(PATIENCE);
        while (cacerts(crowded) != 200) {
            assertTrue(Instant.now().isBefore(deadline), "the address was never served again");
            Thread.sleep(100);
        }
    }

    @Test
    void requestsWithoutHostAre400WithNoWarningOrErrorLogged() throws Exception {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (records) {
                        records.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (String path : new String[] { "/", "/q/health", "/no/such/path", "/.well-known/est/cacerts",
                    "/api/cas" }) {
                RawHttpExchange answer = raw("GET " + path + " HTTP/1.1\r\nConnection: close");
                assertEquals(400, answer.assertReadableByStrictClients().status(), path + "\n" + answer.rawHead());
                assertTrue(answer.bodyText().contains("Host"), answer.bodyText());
            }
            for (String malformed : new String[] { "GET / HTTP/1.1\r\nHost: x\r\nno colon here",
                    "GET / HTTP/1.1\r\nHost: x\r\nBad Name: x", "GET\r\nHost: x", "GET / / HTTP/1.1\r\nHost: x",
                    "GET /%zz HTTP/1.1\r\nHost: x", "GET /.well-known/est/%zz HTTP/1.1\r\nHost: x" }) {
                RawHttpExchange answer = raw(malformed + "\r\nConnection: close");
                assertEquals(400, answer.status(), malformed + "\n" + answer.rawHead());
            }
        } finally {
            root.removeHandler(capture);
        }
        synchronized (records) {
            assertEquals(List.of(), records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": "
                    + r.getMessage()).toList());
        }
    }

    private void assertClosedWithin(Instant start, Duration bound, String what) {
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.compareTo(bound) <= 0, what + " was closed after " + took + ", not within " + bound);
    }

    /** Completes when the server closes the socket (end of stream or reset), having sent nothing. */
    private static CompletableFuture<Void> closedBy(Socket socket) {
        return CompletableFuture.runAsync(() -> {
            try {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // Whatever came (a response before a kept-alive close) is not what is waited for.
                }
            } catch (IOException e) {
                // A reset is a close too.
            }
        });
    }

    private Socket connect(InetAddress from) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout((int) PATIENCE.toMillis());
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
        return socket;
    }

    /** The status of GET cacerts on a new connection from the address; -1 if it was closed unanswered. */
    private int cacerts(InetAddress from) throws IOException {
        try (Socket socket = connect(from)) {
            return RawHttpExchange.send(socket, "GET /.well-known/est/cacerts HTTP/1.1\r\nHost: x\r\nConnection: close",
                    null).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private RawHttpExchange raw(String head) throws IOException {
        try (Socket socket = connect(InetAddress.getLoopbackAddress())) {
            return RawHttpExchange.send(socket, head, null);
        }
    }
}
