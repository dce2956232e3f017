package io.estuary.frontend;

import static io.restassured.RestAssured.given;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bouncycastle.asn1.x509.KeyPurposeId;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.pki.ca.IssuedCertificate;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * What the trusted-proxy tests send: certificates of the test CA as nginx passes them in {@code ssl-client-cert}, and
 * the signer's answers.
 */
final class ProxiedRequests {
    static final String ENROLL = "/.well-known/est/simpleenroll";
    static final String REENROLL = "/.well-known/est/simplereenroll";
    static final String HEADER = "ssl-client-cert";
    static final CertificateProfile DEVICE_IDENTITY = CertificateProfile.deviceIdentity(Duration.ofDays(1));
    static final CertificateProfile EST_IDENTITY = new CertificateProfile("est-identity", "estuary-ca",
            Duration.ofDays(1), 2048, Set.of("P-256"), List.of(KeyPurposeId.id_kp_clientAuth), false, Optional.empty(),
            Optional.empty(), true, true);

    private ProxiedRequests() {
    }

    /** RestAssured sends EST bodies as the base64 text they are. */
    static void configureRestAssured() {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/pkcs10",
                        io.restassured.http.ContentType.TEXT));
    }

    /** The chain arrives through Kafka after start; wait until this test's CA is the one served. */
    static void awaitTheTestCaChain() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Response response = given().when().get("/.well-known/est/cacerts").then().extract().response();
            if (response.statusCode() == 200 && CertsOnly.decode(Base64Body.decode(response.asString()))
                    .equals(List.of(TestCaChainResource.ca.certificate()))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the frontend never served the test CA's chain");
    }

    /** A certificate the test CA (Estuary's, to the frontend) issued for the device under the profile. */
    static X509Certificate issued(String deviceId, CertificateProfile profile) {
        KeyPair key = TestCsrs.ecP256();
        return TestCaChainResource.ca.issue(CertificationRequest.fromDer(TestCsrs.csr(deviceId, key)), profile,
                Instant.now()).certificate();
    }

    /** The certificate as nginx's {@code $ssl_client_escaped_cert}: URL-encoded PEM. */
    static String nginxHeader(X509Certificate certificate) {
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
            return URLEncoder.encode(pem, StandardCharsets.UTF_8).replace("+", "%20");
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request carrying the certificate in the proxy's header, and no password. */
    static RequestSpecification withHeaderCertificate(X509Certificate certificate) {
        return given().header(HEADER, nginxHeader(certificate)).contentType("application/pkcs10");
    }

    static String csrBody(String deviceId) {
        return Base64Body.encode(TestCsrs.csr(deviceId, TestCsrs.ecP256()));
    }

    /** Answers the next CSR event for the device with a certificate, as the signer would; returns the event. */
    static CompletableFuture<CsrSubmitted> playSigner(KafkaTestClient kafka, String deviceId) {
        KafkaTestClient.Tail tail = kafka.tail(Topics.CSR_REQUESTS);
        return CompletableFuture.supplyAsync(() -> {
            try (tail) {
                CsrSubmitted request = tail.await(CsrSubmitted.class, r -> IssuedCertificate.deviceIdOf(
                        CertificationRequest.fromDer(Base64Body.decode(r.csr())).subject()).equals(deviceId),
                        Duration.ofSeconds(20));
                IssuedCertificate issued = TestCaChainResource.ca.issue(
                        CertificationRequest.fromDer(Base64Body.decode(request.csr())), DEVICE_IDENTITY, Instant.now());
                kafka.send(Topics.ISSUANCE_RESULTS, request.requester(), new IssuanceResult(request.requestId(),
                        request.requester(), request.label(), IssuanceResult.Outcome.ISSUED, null, issued.deviceId(),
                        issued.subject(), issued.serialNumberHex(), issued.issuer(),
                        issued.certificate().getNotBefore().toInstant(), issued.certificate().getNotAfter().toInstant(),
                        Base64Body.compact(issued.encoded()), Instant.now()));
                return request;
            }
        });
    }
}
