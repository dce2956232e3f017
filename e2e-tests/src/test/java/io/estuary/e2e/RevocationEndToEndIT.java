package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.jcajce.JcaHttpAuthBuilder;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.TestCsrs;
import io.estuary.testkit.TestTls;

/**
 * Revocation on the packaged services with real clients and real Keycloak tokens: an operator revokes a device, and
 * its EST identity and device certificates stop authenticating on the frontend, without a restart; the audit trail
 * records who revoked what and why, and its chain still verifies.
 */
@ExtendWith(SharedServices.class)
class RevocationEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static Path state;
    private static X509TrustManager[] trust;
    private static String authority;
    private static String renewal;
    private static String audit;

    @BeforeAll
    static void startServices() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider()); // BC's EST client validates the server with it
        }
        state = LocalStack.state();
        root = LocalStack.root();
        LocalStack.script("services-up");
        X509Certificate anchor = read(state.resolve("pki/tls-trust-anchor.pem"));
        trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(anchor, null)), null);
        authority = "localhost:" + LocalStack.env("ESTUARY_EST_PORT");
        renewal = "http://127.0.0.1:" + LocalStack.env("ESTUARY_RENEWAL_PORT");
        audit = "http://127.0.0.1:" + LocalStack.env("ESTUARY_AUDIT_PORT");
    }

    @Test
    void aRevokedDeviceIsRefusedEverywhereAndTheAuditTrailSaysWhoRevokedIt() throws Exception {
        String device = "e2e-revoked-" + System.currentTimeMillis();
        String password = Files.readString(state.resolve("secrets/demo-password")).strip();
        // An EST identity, enrolled with a password; it enrolls the device certificate over mutual TLS.
        KeyPair identityKey = TestCsrs.ecP256();
        ESTService onIdentityLabel = new JsseESTServiceBuilder(authority, trust).withLabel("est-identity").build();
        X509Certificate identity = first(onIdentityLabel.simpleEnroll(false, csr(device, identityKey),
                new JcaHttpAuthBuilder("estuary", "estuary-demo", password.toCharArray()).build()).getStore());
        HttpClient withIdentity = https(identity, identityKey.getPrivate());
        KeyPair deviceKey = TestCsrs.ecP256();
        HttpResponse<String> enrolled = post(withIdentity, "/simpleenroll", csr(device, deviceKey));
        assertEquals(200, enrolled.statusCode(), enrolled.body());
        X509Certificate deviceCertificate = CertsOnly.decode(Base64Body.decode(enrolled.body())).get(0);
        HttpClient withDevice = https(deviceCertificate, deviceKey.getPrivate());
        // Both certificates are tracked before the device is revoked as a whole.
        String operator = LocalStack.bearerToken("operator");
        awaitJson(renewal + "/renewals/devices/" + device + "/history", operator, node -> node.size() == 2);

        HttpResponse<String> revoked = revoke(operator, Map.of("deviceId", device, "reason", "keyCompromise"));
        assertEquals(201, revoked.statusCode(), revoked.body());
        assertEquals(2, JSON.readTree(revoked.body()).get("revoked").size(), revoked.body());

        // Refused on the frontend within seconds, no restart: re-enrollment and the EST identity alike.
        HttpResponse<String> reenroll = awaitStatus(403, () -> post(withDevice, "/simplereenroll",
                csr(device, deviceKey)));
        assertTrue(reenroll.body().contains("revoked") && reenroll.body().contains("keyCompromise"), reenroll.body());
        HttpResponse<String> byIdentity = awaitStatus(403, () -> post(withIdentity, "/simpleenroll",
                csr(device, TestCsrs.ecP256())));
        assertTrue(byIdentity.body().contains("revoked"), byIdentity.body());

        // Idempotent: the device again, and one certificate by issuer and serial, change nothing.
        HttpResponse<String> again = revoke(operator, Map.of("deviceId", device, "reason", "superseded"));
        assertEquals(200, again.statusCode(), again.body());
        JsonNode repeated = JSON.readTree(again.body());
        assertEquals(0, repeated.get("revoked").size());
        assertEquals(2, repeated.get("alreadyRevoked").size());
        assertEquals("keyCompromise", repeated.get("alreadyRevoked").get(0).get("reason").asText());
        String issuer = identity.getIssuerX500Principal().getName();
        String serial = identity.getSerialNumber().toString(16);
        HttpResponse<String> bySerial = revoke(operator, Map.of("issuer", issuer, "serialNumber", serial,
                "reason", "1"));
        assertEquals(200, bySerial.statusCode(), bySerial.body());
        assertEquals(404, revoke(operator, Map.of("issuer", issuer, "serialNumber", "7e57" + serial.substring(4),
                "reason", "1")).statusCode());
        HttpResponse<String> badReason = revoke(operator, Map.of("issuer", issuer, "serialNumber", serial,
                "reason", "certificateHold"));
        assertEquals(400, badReason.statusCode());
        assertTrue(badReason.body().contains("not a revocation reason"), badReason.body());
        // An auditor may read the trail, not revoke.
        assertEquals(403, revoke(LocalStack.bearerToken("auditor"), Map.of("deviceId", device, "reason", "1"))
                .statusCode());

        // The audit trail: both revocations, by whom and why, once each; and the chain holds.
        String auditor = LocalStack.bearerToken("auditor");
        JsonNode records = awaitJson(audit + "/audit/records?device=" + device + "&outcome=REVOKED", auditor,
                node -> node.get("records").size() >= 2).get("records");
        assertEquals(2, records.size(), records.toString());
        for (JsonNode record : records) {
            assertEquals("estuary-operator", record.get("requester").asText());
            assertEquals("keyCompromise", record.get("reason").asText());
        }
        JsonNode verified = awaitJson(audit + "/audit/verify", auditor, node -> true);
        assertTrue(verified.get("valid").asBoolean(), verified.toString());
    }

    /**
     * Relying parties with real clients: the CRL fetched from the certificate's distribution point and checked by
     * {@code openssl verify -crl_check}, the OCSP responder named in it asked by {@code openssl ocsp} and by Bouncy
     * Castle's OCSP classes (the responder's signature, its delegation by the CA, the nonce), before and after the
     * revocation; a serial the CA never issued is unknown, and a request that is not OCSP is refused with 400.
     */
    @Test
    void relyingPartiesLearnOfTheRevocationFromTheCrlAndTheOcspResponder() throws Exception {
        String device = "e2e-ocsp-" + System.currentTimeMillis();
        String password = Files.readString(state.resolve("secrets/demo-password")).strip();
        X509Certificate certificate = enrollWithPassword(device, password);
        Path work = Files.createTempDirectory("e2e-ocsp");
        Path caFile = state.resolve("pki/ca.pem");
        Path certificateFile = Files.writeString(work.resolve("device.pem"), io.estuary.pki.wire.Pem.encode(
                certificate));
        X509Certificate ca = read(caFile);

        String crlUrl = distributionPoint(certificate);
        String ocspUrl = ocspUrl(certificate);
        assertEquals(LocalStack.env("ESTUARY_CRL_URL"), crlUrl);
        assertEquals(LocalStack.env("ESTUARY_OCSP_URL"), ocspUrl);

        // Before: good, and the CRL (fetched from the URL in the certificate) accepts it.
        String good = awaitOutput(output -> output.contains(": good"), "ocsp", "-issuer", caFile.toString(),
                "-cert", certificateFile.toString(), "-url", ocspUrl, "-CAfile", caFile.toString());
        assertTrue(good.contains("Response verify OK"), good);
        Path before = crlFile(work, "before.pem", crlUrl, crl -> true);
        String accepted = openssl("verify", "-crl_check", "-CAfile", caFile.toString(), "-CRLfile", before.toString(),
                certificateFile.toString());
        assertTrue(accepted.contains(": OK"), accepted);
        X509Certificate responder = assertOcsp(ocspUrl, ca, certificate, null);
        // What the expiry alert reads: the end of the responder certificate the answers carry.
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ocspUrl.replace("/ocsp",
                "/q/metrics"))).build(), HttpResponse.BodyHandlers.ofString()).body();
        var exported = java.util.regex.Pattern.compile(
                "(?m)^estuary_ocsp_responder_certificate_not_after_seconds\\{ca=\"estuary-ca\"[^}]*} (\\S+)$")
                .matcher(metrics);
        assertTrue(exported.find(), "the responder certificate's end is exported");
        assertEquals(responder.getNotAfter().toInstant().getEpochSecond(),
                (long) Double.parseDouble(exported.group(1)));

        // It signed with a key of the responders' own token: the responder holds that token's PIN, never the CA's,
        // and its SoftHSM2 sees no CA token.
        long pid = Long.parseLong(Files.readString(state.resolve("run/revocation-responder.pid")).strip());
        List<String> environment = List.of(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"));
        assertTrue(environment.contains("ESTUARY_HSM_PIN_FILE=" + state.resolve("secrets/ocsp-pin")), environment
                .stream().filter(e -> e.startsWith("ESTUARY_HSM") || e.startsWith("SOFTHSM")).toList().toString());
        assertTrue(environment.contains("SOFTHSM2_CONF=" + state.resolve("ocsp-hsm/softhsm2.conf")));
        assertTrue(environment.stream().noneMatch(e -> e.startsWith("ESTUARY_HSM_PIN=")));
        ProcessBuilder slots = new ProcessBuilder("softhsm2-util", "--show-slots").redirectErrorStream(true);
        slots.environment().put("SOFTHSM2_CONF", state.resolve("ocsp-hsm/softhsm2.conf").toString());
        Process listing = slots.start();
        String tokens = new String(listing.getInputStream().readAllBytes());
        assertEquals(0, listing.waitFor(), tokens);
        assertTrue(tokens.contains("estuary-ocsp") && !tokens.contains("estuary-ca"), tokens);
        assertNotEquals(Files.readString(state.resolve("secrets/hsm-pin")),
                Files.readString(state.resolve("secrets/ocsp-pin")), "the responders' PIN is their own");

        String operator = LocalStack.bearerToken("operator");
        awaitJson(renewal + "/renewals/devices/" + device + "/history", operator, node -> node.size() == 1);
        HttpResponse<String> revoked = revoke(operator, Map.of("issuer", certificate.getIssuerX500Principal()
                .getName(), "serialNumber", certificate.getSerialNumber().toString(16), "reason", "keyCompromise"));
        assertEquals(201, revoked.statusCode(), revoked.body());

        // After: revoked with its reason, and the next CRL lists it.
        String revokedAnswer = awaitOutput(output -> output.contains(": revoked"), "ocsp", "-issuer",
                caFile.toString(), "-cert", certificateFile.toString(), "-url", ocspUrl, "-CAfile", caFile.toString());
        assertTrue(revokedAnswer.contains("Reason: keyCompromise") && revokedAnswer.contains("Response verify OK"),
                revokedAnswer);
        assertOcsp(ocspUrl, ca, certificate, 1);
        Path after = crlFile(work, "after.pem", crlUrl, crl -> crl.getRevokedCertificate(certificate
                .getSerialNumber()) != null);
        String refused = openssl("verify", "-crl_check", "-CAfile", caFile.toString(), "-CRLfile", after.toString(),
                certificateFile.toString());
        assertTrue(refused.contains("certificate revoked"), refused);

        // A serial the CA never issued.
        String unknown = openssl("ocsp", "-issuer", caFile.toString(), "-serial", "0x7e57" + certificate
                .getSerialNumber().toString(16), "-url", ocspUrl, "-CAfile", caFile.toString());
        assertTrue(unknown.contains(": unknown") && unknown.contains("Response verify OK"), unknown);

        // Not OCSP: the malformedRequest answer with 400, POST and GET alike.
        HttpResponse<byte[]> garbage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ocspUrl))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] { 0x30, 0x03, 0x02, 0x01 })).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, garbage.statusCode());
        assertEquals(org.bouncycastle.cert.ocsp.OCSPResp.MALFORMED_REQUEST,
                new org.bouncycastle.cert.ocsp.OCSPResp(garbage.body()).getStatus());
        assertEquals(400, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ocspUrl + "/not%20base64"))
                .build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode());

        String auditor = LocalStack.bearerToken("auditor");
        JsonNode verified = awaitJson(audit + "/audit/verify", auditor, node -> true);
        assertTrue(verified.get("valid").asBoolean(), verified.toString());
    }

    /**
     * A device certificate on the default label, enrolled with the demo password; a 503 (Keycloak not reached in time
     * on a busy machine: the frontend says so rather than refusing the credential) is tried again.
     */
    private static X509Certificate enrollWithPassword(String device, String password) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (true) {
            try {
                return first(new JsseESTServiceBuilder(authority, trust).build().simpleEnroll(false,
                        csr(device, TestCsrs.ecP256()), new JcaHttpAuthBuilder("estuary", "estuary-demo",
                                password.toCharArray()).build()).getStore());
            } catch (org.bouncycastle.est.ESTException e) {
                if (e.getStatusCode() != 503 || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Asks the responder with Bouncy Castle, by POST with a nonce and by GET without, and checks the answer: signed by
     * a responder certificate the CA issued for OCSP signing, the nonce repeated, the status good (reason null) or
     * revoked for the reason given.
     */
    private static X509Certificate assertOcsp(String url, X509Certificate ca, X509Certificate certificate,
            Integer reason) throws Exception {
        var id = new org.bouncycastle.cert.ocsp.CertificateID(new org.bouncycastle.operator.jcajce
                .JcaDigestCalculatorProviderBuilder().build().get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1),
                new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(ca), certificate.getSerialNumber());
        byte[] nonce = new byte[16];
        new java.security.SecureRandom().nextBytes(nonce);
        var nonceExtension = new org.bouncycastle.asn1.x509.Extension(
                org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                new org.bouncycastle.asn1.DEROctetString(nonce));
        byte[] withNonce = new org.bouncycastle.cert.ocsp.OCSPReqBuilder().addRequest(id)
                .setRequestExtensions(new org.bouncycastle.asn1.x509.Extensions(nonceExtension)).build().getEncoded();
        byte[] withoutNonce = new org.bouncycastle.cert.ocsp.OCSPReqBuilder().addRequest(id).build().getEncoded();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> posted = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(withNonce)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(url + "/" + java.net.URLEncoder.encode(
                java.util.Base64.getEncoder().encodeToString(withoutNonce), java.nio.charset.StandardCharsets.US_ASCII)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        X509Certificate responder = null;
        for (HttpResponse<byte[]> response : java.util.List.of(posted, got)) {
            assertEquals(200, response.statusCode());
            assertEquals("application/ocsp-response", response.headers().firstValue("Content-Type").orElse(""));
            var answer = new org.bouncycastle.cert.ocsp.OCSPResp(response.body());
            assertEquals(org.bouncycastle.cert.ocsp.OCSPResp.SUCCESSFUL, answer.getStatus());
            var basic = (org.bouncycastle.cert.ocsp.BasicOCSPResp) answer.getResponseObject();
            responder = new JcaX509CertificateConverter().getCertificate(basic.getCerts()[0]);
            responder.verify(ca.getPublicKey());
            responder.checkValidity();
            assertTrue(responder.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.9"), "id-kp-OCSPSigning");
            assertTrue(basic.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .build(responder.getPublicKey())), "signed by the responder");
            var single = basic.getResponses()[0];
            assertEquals(certificate.getSerialNumber(), single.getCertID().getSerialNumber());
            if (reason == null) {
                assertEquals(null, single.getCertStatus(), "good");
            } else {
                var status = (org.bouncycastle.cert.ocsp.RevokedStatus) single.getCertStatus();
                assertEquals(reason.intValue(), status.getRevocationReason());
            }
            var repeated = basic.getExtension(org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (response == posted) {
                assertEquals(nonceExtension.getExtnValue(), repeated.getExtnValue(), "the nonce is repeated");
            } else {
                assertEquals(null, repeated, "no nonce asked, none given");
            }
        }
        return responder;
    }

    private static String distributionPoint(X509Certificate certificate) {
        var points = org.bouncycastle.asn1.x509.CRLDistPoint.getInstance(org.bouncycastle.asn1.ASN1OctetString
                .getInstance(certificate.getExtensionValue("2.5.29.31")).getOctets());
        var names = (org.bouncycastle.asn1.x509.GeneralNames) points.getDistributionPoints()[0]
                .getDistributionPoint().getName();
        return names.getNames()[0].getName().toString();
    }

    private static String ocspUrl(X509Certificate certificate) {
        var access = org.bouncycastle.asn1.x509.AuthorityInformationAccess.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(certificate.getExtensionValue("1.3.6.1.5.5.7.1.1"))
                        .getOctets());
        for (var description : access.getAccessDescriptions()) {
            if (description.getAccessMethod().equals(org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp)) {
                return description.getAccessLocation().getName().toString();
            }
        }
        throw new AssertionError("no OCSP URL in the certificate");
    }

    /** Fetches the CRL until it is one {@code wanted} accepts, and writes it as PEM for openssl. */
    private static Path crlFile(Path work, String name, String url, Predicate<java.security.cert.X509CRL> wanted)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            last = response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("");
            if (response.statusCode() == 200) {
                assertEquals("application/pkix-crl", response.headers().firstValue("Content-Type").orElse(""));
                var crl = (java.security.cert.X509CRL) CertificateFactory.getInstance("X.509")
                        .generateCRL(new java.io.ByteArrayInputStream(response.body()));
                if (wanted.test(crl)) {
                    java.io.StringWriter pem = new java.io.StringWriter();
                    try (var writer = new org.bouncycastle.util.io.pem.PemWriter(pem)) {
                        writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("X509 CRL", response.body()));
                    }
                    return Files.writeString(work.resolve(name), pem.toString());
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no such CRL at " + url + " within 90 s; last answer " + last);
    }

    private static String openssl(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl"));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /** Runs openssl until its output is what is wanted (the responder reads issuances and revocations from Kafka). */
    private static String awaitOutput(Predicate<String> wanted, String... args) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        String output = openssl(args);
        while (!wanted.test(output) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            output = openssl(args);
        }
        assertTrue(wanted.test(output), output);
        return output;
    }

    private static HttpResponse<String> revoke(String token, Map<String, String> body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(renewal + "/revocations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** Repeats the call until it answers the status (the frontends follow the revocations within seconds). */
    private static HttpResponse<String> awaitStatus(int status, Call call) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        HttpResponse<String> last = call.send();
        while (last.statusCode() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            last = call.send();
        }
        assertEquals(status, last.statusCode(), last.body());
        return last;
    }

    private static JsonNode awaitJson(String url, String token, Predicate<JsonNode> ready) throws Exception {
        return LocalStack.awaitJson(url, token, Duration.ofSeconds(90), ready);
    }

    /** An HTTPS client trusting the stack's anchor and presenting the certificate. */
    private static HttpClient https(X509Certificate certificate, PrivateKey key) throws Exception {
        return HttpClient.newBuilder().sslContext(TestTls.presenting(state.resolve("pki/tls-trust-anchor.pem"),
                certificate, key)).connectTimeout(Duration.ofSeconds(30)).build();
    }

    private static HttpResponse<String> post(HttpClient client, String operation, PKCS10CertificationRequest csr)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://" + authority + "/.well-known/est" + operation))
                .header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofString(Base64Body.encode(csr.getEncoded())))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PKCS10CertificationRequest csr(String commonName, KeyPair key) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    private static X509Certificate first(org.bouncycastle.util.Store<org.bouncycastle.cert.X509CertificateHolder> store)
            throws Exception {
        return new JcaX509CertificateConverter().getCertificate(ESTService.storeToArray(store)[0]);
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
