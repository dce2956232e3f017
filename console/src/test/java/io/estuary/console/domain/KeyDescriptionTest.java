package io.estuary.console.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;

class KeyDescriptionTest {
    @Test
    void namesCurvesAsOperatorsDoAndRsaByItsModulus() throws Exception {
        assertEquals("EC P-256", KeyDescription.of(ec("secp256r1")));
        assertEquals("EC P-384", KeyDescription.of(ec("secp384r1")));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertEquals("RSA 2048", KeyDescription.of(rsa.generateKeyPair().getPublic()));
        assertEquals("Ed25519", KeyDescription.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()
                .getPublic()));
    }

    private static java.security.PublicKey ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair().getPublic();
    }
}
