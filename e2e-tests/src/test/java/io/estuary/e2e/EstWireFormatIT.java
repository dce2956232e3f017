package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.CertificateLint;
import io.estuary.testkit.RawHttpExchange;
import io.estuary.testkit.TestCsrs;

/**
 * The packaged frontend over real TLS, read off the socket byte by byte as a strict embedded client (libest) reads it:
 * every operation and every error status.
 */
@ExtendWith(SharedServices.class)
class EstWireFormatIT {
    private static Path state;
    private static int port;
    private static String basic;
    private static TrustManagerFactory trust;

    @BeforeAll
    static void startServicesWithALinkedLabel() throws Exception {
        state = LocalStack.state();
        LocalStack.script("services-up");
        port = Integer.parseInt(LocalStack.env("ESTUARY_EST_PORT"));
        basic = "Authorization: Basic " + Base64.getEncoder().encodeToString(("estuary-demo:"
                + Files.readString(state.resolve("secrets/demo-password")).strip()).getBytes(StandardCharsets.UTF_8));
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("anchor", read(state.resolve("pki/tls-trust-anchor.pem")));
        trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
    }

    @Test
    void everyOperationIsReadableByAClientThatComparesBytes() throws Exception {
        SSLContext jdk = context(null, null);
        RawHttpExchange cacerts = exchange(jdk, "GET /.well-known/est/cacerts HTTP/1.1", null, null);
        assertEquals("HTTP/1.1 200 OK", cacerts.statusLine());
        assertEquals("application/pkcs7-mime; smime-type=certs-only", cacerts.exactHeader("Content-Type").get());
        assertEquals("base64", cacerts.exactHeader("Content-Transfer-Encoding").get());
        assertEquals("close", cacerts.exactHeader("Connection").get());
        assertEquals("HTTP/1.1 200 OK", exchange(jdk, "GET /.well-known/est/csrattrs HTTP/1.1", null, null)
                .statusLine());
        assertEquals("HTTP/1.1 204 No Content",
                exchange(jdk, "GET /.well-known/est/est-identity/csrattrs HTTP/1.1", null, null).statusLine());

        // libest asks without credentials first and sends them after the challenge.
        KeyPair key = TestCsrs.ecP256();
        String csr = Base64Body.encode(TestCsrs.csr("wire-e2e-device", key));
        RawHttpExchange challenge = exchange(jdk, post("simpleenroll", null), csr, null);
        assertEquals("HTTP/1.1 401 Unauthorized", challenge.statusLine());
        assertEquals("Basic realm=\"estuary\"", challenge.exactHeader("WWW-Authenticate").get());
        RawHttpExchange enrolled = exchange(jdk, post("simpleenroll", basic), csr, null);
        assertEquals("HTTP/1.1 200 OK", enrolled.statusLine(), enrolled.bodyText());
        assertEquals("application/pkcs7-mime; smime-type=certs-only", enrolled.exactHeader("Content-Type").get());
        X509Certificate certificate = certificate(enrolled);
        X509Certificate ca = certificate(cacerts);
        CertificateLint.check(certificate, ca);

        // Re-enrollment with the certificate alone, over mutual TLS.
        RawHttpExchange renewed = exchange(context(certificate, key.getPrivate()),
                post("simplereenroll", null), csr, null);
        assertEquals("HTTP/1.1 200 OK", renewed.statusLine(), renewed.bodyText());
        assertEquals(key.getPublic(), certificate(renewed).getPublicKey());
        CertificateLint.check(certificate(renewed), ca);

        RawHttpExchange generated = exchange(jdk, post("serverkeygen", basic),
                Base64Body.encode(TestCsrs.csr("wire-e2e-keygen", TestCsrs.ecP256())), null);
        assertEquals("HTTP/1.1 200 OK", generated.statusLine(), generated.bodyText());
        assertTrue(generated.exactHeader("Content-Type").get().startsWith("multipart/mixed"));
    }

    @Test
    void everyErrorStatusIsReadableToo() throws Exception {
        SSLContext jdk = context(null, null);
        String csr = Base64Body.encode(TestCsrs.csr("wire-e2e-errors", TestCsrs.ecP256()));
        assertStatus("HTTP/1.1 400 Bad Request", exchange(jdk, post("simpleenroll", basic), "%%% not base64 %%%",
                null));
        assertStatus("HTTP/1.1 403 Forbidden", exchange(jdk, post("simplereenroll", basic), csr, null));
        assertStatus("HTTP/1.1 404 Not Found", exchange(jdk, "GET /.well-known/est/nobody/cacerts HTTP/1.1", null,
                null));
        assertStatus("HTTP/1.1 415 Unsupported Media Type", exchange(jdk, "POST /.well-known/est/simpleenroll"
                + " HTTP/1.1\r\nContent-Type: text/plain\r\n" + basic, csr, null));
        assertStatus("HTTP/1.1 413 Request Entity Too Large", exchange(jdk, post("simpleenroll", basic),
                "A".repeat(70 * 1024), null));
        assertStatus("HTTP/1.1 501 Not Implemented", exchange(jdk, post("fullcmc", basic), csr, null));
        // Wrong passwords for one identity: 401 with the challenge, then 429 with Retry-After once over the limit.
        String wrong = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                "wire-e2e-guesser:wrong".getBytes(StandardCharsets.UTF_8));
        RawHttpExchange refused = exchange(jdk, post("simpleenroll", wrong), csr, null);
        assertEquals("HTTP/1.1 401 Unauthorized", refused.statusLine(), refused.rawHead());
        assertEquals("Basic realm=\"estuary\"", refused.exactHeader("WWW-Authenticate").get());
        RawHttpExchange limited = refused;
        for (int attempt = 0; attempt < 10 && limited.status() != 429; attempt++) {
            limited = exchange(jdk, post("simpleenroll", wrong), csr, null);
        }
        assertStatus("HTTP/1.1 429 Too Many Requests", limited);
        assertTrue(limited.exactHeader("Retry-After").isPresent(), limited.rawHead());
    }

    private static void assertStatus(String statusLine, RawHttpExchange answer) {
        assertEquals(statusLine, answer.statusLine(), answer.rawHead() + answer.bodyText());
        assertTrue(answer.exactHeader("Content-Type").isPresent(), answer.rawHead());
    }

    private static String post(String operation, String authorization) {
        return "POST /.well-known/est/" + operation + " HTTP/1.1\r\nContent-Type: application/pkcs10"
                + (authorization == null ? "" : "\r\n" + authorization);
    }

    /**
     * One request on a new connection, closed after it, as libest does; checked as a strict client would. A 503 (the
     * credentials could not be checked yet: Keycloak answers slowly while the machine is busy) is retried, as its
     * Retry-After tells a client to.
     */
    private static RawHttpExchange exchange(SSLContext tls, String head, String body, String protocol)
            throws Exception {
        for (int attempt = 1;; attempt++) {
            RawHttpExchange answer;
            try (SSLSocket socket = open(tls, protocol)) {
                answer = RawHttpExchange.send(socket, head + "\r\nHost: localhost\r\nConnection: close",
                        body == null ? null : body.getBytes(StandardCharsets.US_ASCII))
                        .assertReadableByStrictClients();
            }
            if (answer.status() != 503 || attempt == 5) {
                return answer;
            }
            Thread.sleep(2_000);
        }
    }

    private static SSLSocket open(SSLContext tls, String protocol) throws Exception {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port);
        socket.setSoTimeout(60_000);
        if (protocol != null) {
            socket.setEnabledProtocols(new String[] { protocol });
        }
        socket.startHandshake();
        return socket;
    }

    private static SSLContext context(X509Certificate certificate, PrivateKey key) throws Exception {
        KeyManager[] keyManagers = null;
        if (certificate != null) {
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("client", key, "pw".toCharArray(), new Certificate[] { certificate });
            KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
            factory.init(identity, "pw".toCharArray());
            keyManagers = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, trust.getTrustManagers(), null);
        return context;
    }

    private static X509Certificate certificate(RawHttpExchange answer) {
        return CertsOnly.decode(Base64Body.decode(answer.bodyText())).get(0);
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
