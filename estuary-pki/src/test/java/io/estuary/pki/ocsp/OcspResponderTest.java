package io.estuary.pki.ocsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.ca.CertificateAuthorityTest;

/** Requests parsed and answered as RFC 6960 says, checked with Bouncy Castle's OCSP client classes. */
class OcspResponderTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final BigInteger GOOD = BigInteger.valueOf(0x1001);
    private static final BigInteger REVOKED = BigInteger.valueOf(0x1002);

    private final CertificateAuthority ca = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
    private final ResponderKey key = responderOf(ca, "test-ca");
    private final OcspResponder responder = new OcspResponder(List.of(key), Duration.ofHours(1));
    private final Map<BigInteger, SerialStatus> statuses = Map.of(GOOD, SerialStatus.GOOD, REVOKED,
            new SerialStatus.Revoked(NOW.minusSeconds(60), 1));

    static ResponderKey responderOf(CertificateAuthority ca, String alias) {
        return responderOf(ca, alias, Duration.ofDays(30), Instant.now());
    }

    static ResponderKey responderOf(CertificateAuthority ca, String alias, Duration validity, Instant issuedAt) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = ca.issueOcspResponder(new X500Name("CN=Test OCSP Responder"),
                    pair.getPublic(), validity, issuedAt);
            return new ResponderKey(alias, ca.certificate(), certificate, pair.getPrivate(), BC);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CertificateID id(X509Certificate issuer, BigInteger serial) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), serial);
    }

    private BasicOCSPResp answered(byte[] request) throws Exception {
        OcspQuery query = responder.parse(request);
        OCSPResp response = new OCSPResp(responder.answer(query,
                id -> statuses.getOrDefault(id.getSerialNumber(), SerialStatus.UNKNOWN), NOW).der());
        assertEquals(OCSPResp.SUCCESSFUL, response.getStatus());
        return (BasicOCSPResp) response.getResponseObject();
    }

    @Test
    void goodRevokedAndUnknownSignedByTheDelegatedResponderWithTheNonce() throws Exception {
        byte[] nonce = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
        byte[] request = new OCSPReqBuilder().addRequest(id(ca.certificate(), GOOD))
                .addRequest(id(ca.certificate(), REVOKED)).addRequest(id(ca.certificate(), BigInteger.TEN))
                .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(nonce))))
                .build().getEncoded();
        BasicOCSPResp basic = answered(request);

        X509CertificateHolder[] certificates = basic.getCerts();
        assertEquals(1, certificates.length, "the responder's certificate goes with the answer");
        X509CertificateHolder responderCertificate = certificates[0];
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responderCertificate)));
        assertTrue(responderCertificate.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(ca.certificate().getPublicKey())), "the CA issued the responder's certificate");
        assertTrue(key.certificate().getExtendedKeyUsage().contains(KeyPurposeId.id_kp_OCSPSigning.getId()));
        assertNotNull(responderCertificate.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck));
        assertArrayEquals(new DEROctetString(nonce).getEncoded(), basic.getExtension(
                OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getEncoded(), "the nonce is repeated");

        SingleResp[] answers = basic.getResponses();
        assertEquals(3, answers.length);
        assertEquals(GOOD, answers[0].getCertID().getSerialNumber());
        assertNull(answers[0].getCertStatus(), "good");
        assertEquals(NOW, answers[0].getThisUpdate().toInstant());
        assertEquals(NOW.plus(Duration.ofHours(1)), answers[0].getNextUpdate().toInstant());
        RevokedStatus revoked = assertInstanceOf(RevokedStatus.class, answers[1].getCertStatus());
        assertEquals(NOW.minusSeconds(60), revoked.getRevocationTime().toInstant());
        assertEquals(1, revoked.getRevocationReason());
        assertInstanceOf(UnknownStatus.class, answers[2].getCertStatus());
    }

    @Test
    void noAnswerOutlivesTheResponderCertificate() throws Exception {
        ResponderKey shortLived = responderOf(ca, "test-ca", Duration.ofHours(1), NOW);
        OcspResponder fourHours = new OcspResponder(List.of(shortLived), Duration.ofHours(4));
        OcspQuery query = fourHours.parse(new OCSPReqBuilder().addRequest(id(ca.certificate(), GOOD)).build()
                .getEncoded());
        OcspResponder.Answer answer = fourHours.answer(query, id -> SerialStatus.GOOD, NOW);
        Instant expiry = shortLived.certificate().getNotAfter().toInstant();
        assertTrue(expiry.isBefore(NOW.plus(Duration.ofHours(4))));
        assertEquals(expiry, answer.nextUpdate());
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(answer.der()).getResponseObject();
        assertEquals(expiry, basic.getResponses()[0].getNextUpdate().toInstant());

        OcspRefusal expired = assertThrows(OcspRefusal.class, () -> fourHours.answer(query, id -> SerialStatus.GOOD,
                expiry.plusSeconds(1)));
        assertEquals(OcspRefusal.Status.TRY_LATER, expired.status());
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
    }

    @Test
    void aSingleCertificateWithoutNonceIsShareableAndCachedPerHashAndSerial() throws Exception {
        OcspQuery query = responder.parse(new OCSPReqBuilder().addRequest(id(ca.certificate(), GOOD)).build()
                .getEncoded());
        assertTrue(query.shareable());
        assertEquals("test-ca/1001", query.cacheKey());
        assertEquals("1.3.14.3.2.26", query.hashAlgorithm(), "SHA-1");
        assertNull(answered(new OCSPReqBuilder().addRequest(id(ca.certificate(), GOOD)).build().getEncoded())
                .getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce));
        assertFalse(responder.parse(new OCSPReqBuilder().addRequest(id(ca.certificate(), GOOD))
                .addRequest(id(ca.certificate(), REVOKED)).build().getEncoded()).shareable());
    }

    @Test
    void malformedRequestsAndForeignCasAreRefusedWithTheirOcspStatus() throws Exception {
        for (byte[] garbage : List.of(new byte[0], new byte[] { 0x30, 0x03, 0x02, 0x01 }, "hello".getBytes(),
                new byte[] { 0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff })) {
            OcspRefusal refusal = assertThrows(OcspRefusal.class, () -> responder.parse(garbage));
            assertEquals(OcspRefusal.Status.MALFORMED_REQUEST, refusal.status());
        }
        CertificateAuthority other = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        OcspRefusal foreign = assertThrows(OcspRefusal.class, () -> responder.parse(new OCSPReqBuilder()
                .addRequest(id(other.certificate(), GOOD)).build().getEncoded()));
        assertEquals(OcspRefusal.Status.UNAUTHORIZED, foreign.status());

        OCSPResp malformed = new OCSPResp(OcspResponder.refusal(OcspRefusal.Status.MALFORMED_REQUEST));
        assertEquals(OCSPResp.MALFORMED_REQUEST, malformed.getStatus());
        assertNull(malformed.getResponseObject());
        assertEquals(OCSPResp.UNAUTHORIZED,
                new OCSPResp(OcspResponder.refusal(OcspRefusal.Status.UNAUTHORIZED)).getStatus());
    }

    @Test
    void theResponderOfEachCaAnswersForItsOwn() throws Exception {
        CertificateAuthority second = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        OcspResponder both = new OcspResponder(List.of(key, responderOf(second, "second")), Duration.ofHours(1));
        assertEquals("second", both.parse(new OCSPReqBuilder().addRequest(id(second.certificate(), GOOD)).build()
                .getEncoded()).responder().alias());
        assertEquals("test-ca", both.parse(new OCSPReqBuilder().addRequest(id(ca.certificate(), GOOD)).build()
                .getEncoded()).responder().alias());
        OcspRefusal mixed = assertThrows(OcspRefusal.class, () -> both.parse(new OCSPReqBuilder()
                .addRequest(id(second.certificate(), GOOD)).addRequest(id(ca.certificate(), GOOD)).build()
                .getEncoded()));
        assertEquals(OcspRefusal.Status.UNAUTHORIZED, mixed.status());
    }
}
