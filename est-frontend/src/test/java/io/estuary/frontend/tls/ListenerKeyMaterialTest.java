package io.estuary.frontend.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.X509KeyManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.wire.Pem;
import io.estuary.testkit.TestCsrs;
import io.estuary.testkit.TestTls;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.Vertx;

class ListenerKeyMaterialTest {
    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() {
        VERTX.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void openSslGetsEachPairOnceThroughACachingFactory() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate certificate = selfSigned("CN=localhost", key);
        var loaded = ListenerKeyMaterial.load(VERTX, pem(certificate), pem(key));
        assertEquals(certificate, loaded.store().getCertificate(loaded.store().aliases().nextElement()));
        assertEquals(certificate.getNotAfter().toInstant(), loaded.served().notAfter());
        assertTrue(loaded.served().subject().contains("CN=localhost"), loaded.served().toString());

        ListenerKeyManager keys = new ListenerKeyManager();
        keys.install(loaded.keys());
        var options = new ListenerKeyCertOptions(keys, true);
        // Netty keeps OpenSSL's form of a pair only for this factory; others, it converts per handshake.
        var factory = assertInstanceOf(OpenSslCachingX509KeyManagerFactory.class, options.getKeyManagerFactory(VERTX));
        X509KeyManager manager = assertInstanceOf(X509KeyManager.class, factory.getKeyManagers()[0]);
        assertEquals(certificate, manager.getCertificateChain(manager.chooseServerAlias("EC", null, null))[0],
                "the same certificate is presented");
        assertSame(options, options.copy(), "copies present what the original does");
        assertSame(keys, new ListenerKeyCertOptions(keys, false).getKeyManagerFactory(VERTX).getKeyManagers()[0],
                "the JDK engine asks the key manager itself");
    }

    @Test
    void anInstalledPairIsPresentedUnderNewAliasesAndThePairBeforeStaysReachable() throws Exception {
        KeyPair firstKey = TestCsrs.ecP256();
        X509Certificate first = selfSigned("CN=first", firstKey);
        KeyPair secondKey = TestCsrs.ecP256();
        X509Certificate second = selfSigned("CN=second", secondKey);
        ListenerKeyManager keys = new ListenerKeyManager();
        assertNull(keys.chooseEngineServerAlias("EC", null, null), "nothing installed, nothing presented");

        keys.install(ListenerKeyMaterial.load(VERTX, pem(first), pem(firstKey)).keys());
        String before = keys.chooseEngineServerAlias("EC", null, null);
        assertEquals(first, keys.getCertificateChain(before)[0]);
        assertNotNull(keys.getPrivateKey(before));
        assertNull(keys.chooseEngineServerAlias("RSA", null, null), "no RSA key: no RSA alias");

        keys.install(ListenerKeyMaterial.load(VERTX, pem(second), pem(secondKey)).keys());
        String after = keys.chooseServerAlias("EC", null, null);
        assertNotEquals(before, after, "OpenSSL keeps a pair by alias: a new pair needs new aliases");
        assertEquals(second, keys.getCertificateChain(after)[0]);
        assertArrayEquals(new String[] { after }, keys.getServerAliases("EC", null));
        // A handshake that chose its alias just before the swap still gets that pair's chain and key.
        assertEquals(first, keys.getCertificateChain(before)[0]);
        assertArrayEquals(firstKey.getPublic().getEncoded(),
                keys.getCertificateChain(before)[0].getPublicKey().getEncoded());
        assertNotNull(keys.getPrivateKey(before));
        assertNull(keys.getCertificateChain("7:" + after), "an alias it never gave");
        assertNull(keys.chooseClientAlias(new String[] { "EC" }, null, null), "never a client");
    }

    @Test
    void aCertificateWithAKeyFromAnotherPairIsRefused() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate certificate = selfSigned("CN=localhost", key);
        var refused = assertThrows(IllegalArgumentException.class,
                () -> ListenerKeyMaterial.load(VERTX, pem(certificate), pem(TestCsrs.ecP256())));
        assertTrue(refused.getMessage().contains("the key does not match the certificate CN=localhost"),
                refused.getMessage());
    }

    @Test
    void aChainWhoseCertificatesAreNotEachSignedByTheNextIsRefused() throws Exception {
        KeyPair caKey = TestCsrs.ecP256();
        X509Certificate ca = selfSigned("CN=EST server CA", caKey);
        KeyPair key = TestCsrs.ecP256();
        X509Certificate server = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=EST server CA"), BigInteger.valueOf(7), new Date(),
                Date.from(Instant.now().plus(Duration.ofDays(1))), new X500Name("CN=localhost"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        assertEquals("CN=localhost", ListenerKeyMaterial.load(VERTX,
                (Pem.encode(server) + Pem.encode(ca)).getBytes(StandardCharsets.US_ASCII), pem(key)).served().subject());
        KeyPair otherKey = TestCsrs.ecP256();
        X509Certificate stranger = selfSigned("CN=EST server CA", otherKey);
        var refused = assertThrows(IllegalArgumentException.class, () -> ListenerKeyMaterial.load(VERTX,
                (Pem.encode(server) + Pem.encode(stranger)).getBytes(StandardCharsets.US_ASCII), pem(key)));
        assertTrue(refused.getMessage().contains("the chain is out of order"), refused.getMessage());
    }

    @Test
    void filesThatHoldNoPairAreRefused() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        byte[] certificate = pem(selfSigned("CN=localhost", key));
        assertThrows(Exception.class, () -> ListenerKeyMaterial.load(VERTX, new byte[0], pem(key)));
        assertThrows(Exception.class, () -> ListenerKeyMaterial.load(VERTX, certificate, new byte[0]));
        assertThrows(Exception.class, () -> ListenerKeyMaterial.load(VERTX,
                "-----BEGIN CERTIFICATE-----\nMIIB\n".getBytes(StandardCharsets.US_ASCII), pem(key)));
    }

    @Test
    void rsaAndEd25519KeysAreCheckedAgainstTheirCertificates() throws Exception {
        KeyPair rsa = TestCsrs.rsa(2048);
        X509Certificate rsaCertificate = selfSigned("CN=rsa", rsa);
        assertEquals("CN=rsa", ListenerCertificate.of(new X509Certificate[] { rsaCertificate }, rsa.getPrivate())
                .subject());
        assertThrows(IllegalArgumentException.class, () -> ListenerCertificate
                .of(new X509Certificate[] { rsaCertificate }, TestCsrs.rsa(2048).getPrivate()));

        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        X509Certificate edCertificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(new X500Name("CN=ed25519"), BigInteger.TWO, new Date(),
                        Date.from(Instant.now().plus(Duration.ofDays(1))), new X500Name("CN=ed25519"),
                        ed25519.getPublic()).build(new JcaContentSignerBuilder("Ed25519").build(ed25519.getPrivate())));
        assertEquals("CN=ed25519", ListenerCertificate.of(new X509Certificate[] { edCertificate },
                ed25519.getPrivate()).subject());
        assertThrows(IllegalArgumentException.class, () -> ListenerCertificate.of(
                new X509Certificate[] { edCertificate }, KeyPairGenerator.getInstance("Ed25519").generateKeyPair()
                        .getPrivate()));
        assertThrows(IllegalArgumentException.class, () -> ListenerCertificate.of(
                new X509Certificate[] { edCertificate }, rsa.getPrivate()), "a key of another algorithm");
        assertThrows(IllegalArgumentException.class,
                () -> ListenerCertificate.of(new X509Certificate[0], rsa.getPrivate()));
    }

    private static X509Certificate selfSigned(String subject, KeyPair key) throws Exception {
        return CertificateAuthority.selfSignedRoot(new X500Name(subject), key.getPublic(), key.getPrivate(),
                new BouncyCastleProvider(), Duration.ofDays(1), Instant.now());
    }

    private static byte[] pem(X509Certificate certificate) {
        return Pem.encode(certificate).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pem(KeyPair key) {
        return TestTls.privateKeyPem(key.getPrivate()).getBytes(StandardCharsets.US_ASCII);
    }
}
