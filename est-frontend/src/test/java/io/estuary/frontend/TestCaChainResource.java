package io.estuary.frontend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import io.estuary.pki.CertificateAuthority;
import io.estuary.pki.Pem;
import io.estuary.testkit.TestCsrs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A software CA standing in for the signer's, written where the frontend reads its chain; and the real broker. */
public class TestCaChainResource implements QuarkusTestResourceLifecycleManager {
    public static CertificateAuthority ca;

    @Override
    public Map<String, String> start() {
        KeyPair key = TestCsrs.ecP256();
        BouncyCastleProvider bc = new BouncyCastleProvider();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=Frontend Test CA"),
                key.getPublic(), key.getPrivate(), bc, Duration.ofDays(30), Instant.now());
        ca = new CertificateAuthority(List.of(root), key.getPrivate(), bc);
        try {
            Path file = Path.of("target", "test-ca-chain.pem").toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.writeString(file, Pem.encode(root));
            return Map.of("estuary.frontend.ca-chain-file", file.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }
}
