package io.estuary.pki.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;

import org.junit.jupiter.api.Test;

import io.estuary.testkit.TestCsrs;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.MalformedRequestException;

class CertificationRequestTest {

    @Test
    void acceptsEcAndRsaRequestsWithValidProofOfPossession() {
        KeyPair ec = TestCsrs.ecP256();
        CertificationRequest parsed = CertificationRequest.fromDer(TestCsrs.csr("device-1", ec));
        assertEquals("CN=device-1", parsed.subject().toString());
        assertEquals(ec.getPublic(), parsed.publicKey());
        assertEquals("EC 256", parsed.keyDescription());

        KeyPair rsa = TestCsrs.rsa(2048);
        CertificationRequest rsaParsed = CertificationRequest.fromBody(
                Base64Body.encode(TestCsrs.csr("device-2", rsa)));
        assertEquals("RSA 2048", rsaParsed.keyDescription());
    }

    @Test
    void refusesARequestSignedByAnotherKey() {
        InvalidCsrException e = assertThrows(InvalidCsrException.class,
                () -> CertificationRequest.fromDer(TestCsrs.csrWithForeignSignature("device-3")));
        assertEquals("the CSR's signature does not verify with its public key", e.getMessage());
    }

    @Test
    void unverifiedParsingSkipsOnlyTheSignatureCheck() {
        // For a signer that relies on the frontend's check: the foreign signature passes, garbage still does not.
        CertificationRequest parsed = CertificationRequest.fromDerUnverified(
                TestCsrs.csrWithForeignSignature("device-4"));
        assertEquals("CN=device-4", parsed.subject().toString());
        assertThrows(MalformedRequestException.class, () -> CertificationRequest.fromDerUnverified("x".getBytes()));
    }

    @Test
    void refusesBytesThatAreNotACsr() {
        assertThrows(MalformedRequestException.class, () -> CertificationRequest.fromDer("hello".getBytes()));
        assertThrows(MalformedRequestException.class, () -> CertificationRequest.fromDer(new byte[] { 0x30, 0x03, 1 }));
        byte[] truncated = java.util.Arrays.copyOf(TestCsrs.csr("d", TestCsrs.ecP256()), 40);
        assertThrows(MalformedRequestException.class, () -> CertificationRequest.fromDer(truncated));
    }
}
