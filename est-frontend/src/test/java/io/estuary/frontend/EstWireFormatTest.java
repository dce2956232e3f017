package io.estuary.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.estuary.pki.wire.Base64Body;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.RawHttpExchange;
import io.estuary.testkit.TestCsrs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every answer of the EST paths, read off the socket byte for byte as libest reads it: canonical header names, an
 * {@code HTTP/1.1 <code> <reason>} status line, bodies delimited by Content-Length. Plain HTTP here (the test profile);
 * the same over TLS, with the packaged frontend, is {@code EstWireFormatIT}.
 */
@QuarkusTest
@QuarkusTestResource(TestCaChainResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class EstWireFormatTest {
    private static final String BASIC = "Authorization: Basic "
            + Base64.getEncoder().encodeToString("estuary-demo:test-password".getBytes(StandardCharsets.UTF_8));

    @TestHTTPResource
    URL url;

    @BeforeEach
    void awaitTheCaChain() throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (get("/.well-known/est/cacerts").status() != 200) {
            assertTrue(Instant.now().isBefore(deadline), "the frontend never served the test CA's chain");
            Thread.sleep(200);
        }
    }

    @Test
    void cacertsAndCsrattrs() throws Exception {
        RawHttpExchange cacerts = get("/.well-known/est/cacerts").assertReadableByStrictClients();
        assertEquals("HTTP/1.1 200 OK", cacerts.statusLine());
        assertEquals("application/pkcs7-mime; smime-type=certs-only", cacerts.exactHeader("Content-Type").get());
        assertEquals("base64", cacerts.exactHeader("Content-Transfer-Encoding").get());
        assertEquals("close", cacerts.exactHeader("Connection").get(), cacerts.rawHead());

        RawHttpExchange attributes = get("/.well-known/est/csrattrs").assertReadableByStrictClients();
        assertEquals(200, attributes.status());
        assertEquals("application/csrattrs", attributes.exactHeader("Content-Type").get());
        assertEquals("HTTP/1.1 204 No Content",
                get("/.well-known/est/est-identity/csrattrs").assertReadableByStrictClients().statusLine());
    }

    @Test
    void theChallengeAndEveryErrorStatus() throws Exception {
        String csr = Base64Body.encode(TestCsrs.csr("wire-device", TestCsrs.ecP256()));
        RawHttpExchange challenge = post("/.well-known/est/simpleenroll", null, "application/pkcs10", csr)
                .assertReadableByStrictClients();
        assertEquals("HTTP/1.1 401 Unauthorized", challenge.statusLine());
        assertEquals("Basic realm=\"estuary\"", challenge.exactHeader("WWW-Authenticate").get());

        assertStatus("HTTP/1.1 400 Bad Request",
                post("/.well-known/est/simpleenroll", BASIC, "application/pkcs10", "%%% not base64 %%%"));
        assertStatus("HTTP/1.1 404 Not Found", get("/.well-known/est/no-such-label/cacerts"));
        assertStatus("HTTP/1.1 405 Method Not Allowed", get("/.well-known/est/simpleenroll"));
        assertStatus("HTTP/1.1 415 Unsupported Media Type",
                post("/.well-known/est/simpleenroll", BASIC, "text/plain", csr));
        assertStatus("HTTP/1.1 413 Request Entity Too Large",
                post("/.well-known/est/simpleenroll", BASIC, "application/pkcs10", "A".repeat(70 * 1024)));
        assertStatus("HTTP/1.1 501 Not Implemented",
                post("/.well-known/est/fullcmc", BASIC, "application/pkcs7-mime", csr));
    }

    @Test
    void malformedRequestLinesPathsAndTypesAreRefusedWithAReason() throws Exception {
        String csr = Base64Body.encode(TestCsrs.csr("wire-device-shape", TestCsrs.ecP256()));
        for (String version : new String[] { "HTTP/1.2", "HTTP/2.0", "HTTP/3.0" }) {
            RawHttpExchange answer = raw("GET /.well-known/est/cacerts " + version + "\r\nHost: x\r\nConnection: close",
                    null);
            // Vert.x writes the status line in the request's own version; what matters is that nothing is served.
            assertEquals(505, answer.status(), answer.rawHead());
            assertTrue(answer.bodyText().contains("HTTP/1.1"), answer.bodyText());
        }
        for (String path : new String[] { "/.well-known/est//cacerts", "/.well-known/est/%2e/cacerts",
                "/.well-known/est/./cacerts", "/.well-known/est/x/../cacerts", "/.well-known//est/cacerts" }) {
            assertStatus("HTTP/1.1 400 Bad Request", get(path));
        }
        for (String type : new String[] { "*/*", "application/*", "", "application/octet-stream" }) {
            assertStatus("HTTP/1.1 415 Unsupported Media Type",
                    post("/.well-known/est/simpleenroll", BASIC, type, csr));
        }
        RawHttpExchange untyped = raw("POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + BASIC, csr.getBytes(StandardCharsets.US_ASCII));
        assertStatus("HTTP/1.1 415 Unsupported Media Type", untyped);
        // Parameters and case are no reason to refuse.
        assertEquals(202, post("/.well-known/est/simpleenroll", BASIC, "Application/PKCS10; charset=us-ascii",
                csr).assertReadableByStrictClients().status());
    }

    @Test
    void aPendingEnrollmentIs202WithRetryAfter() throws Exception {
        // No signer runs here: the request waits the test profile's 3 s and is told to come back.
        String csr = Base64Body.encode(TestCsrs.csr("wire-device-pending", TestCsrs.ecP256()));
        RawHttpExchange pending = post("/.well-known/est/simpleenroll", BASIC, "application/pkcs10", csr)
                .assertReadableByStrictClients();
        assertEquals("HTTP/1.1 202 Accepted", pending.statusLine());
        assertTrue(pending.exactHeader("Retry-After").isPresent(), pending.rawHead());
    }

    @Test
    void keptAliveConnectionsToo() throws Exception {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            for (int i = 0; i < 2; i++) {
                RawHttpExchange answer = RawHttpExchange.send(socket, "GET /.well-known/est/cacerts HTTP/1.1\r\nHost: "
                        + url.getHost(), null).assertReadableByStrictClients();
                assertEquals(200, answer.status());
            }
        }
    }

    private static void assertStatus(String statusLine, RawHttpExchange answer) {
        answer.assertReadableByStrictClients();
        assertEquals(statusLine, answer.statusLine(), answer.rawHead());
        assertTrue(answer.exactHeader("Content-Type").isPresent(), answer.rawHead());
    }

    private RawHttpExchange raw(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            return RawHttpExchange.send(socket, head, body);
        }
    }

    private RawHttpExchange get(String path) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            return RawHttpExchange.send(socket, "GET " + path + " HTTP/1.1\r\nHost: " + url.getHost()
                    + "\r\nConnection: close", null);
        }
    }

    /** As libest sends it: HTTP/1.1, Connection: close, the body base64 in 64-character lines. */
    private RawHttpExchange post(String path, String authorization, String contentType, String body)
            throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            return RawHttpExchange.send(socket, "POST " + path + " HTTP/1.1\r\nHost: " + url.getHost()
                    + "\r\nConnection: close\r\nContent-Type: " + contentType
                    + (authorization == null ? "" : "\r\n" + authorization), body.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
