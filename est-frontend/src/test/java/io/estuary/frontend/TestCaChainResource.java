package io.estuary.frontend;

import java.util.Base64;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.contracts.CaChainPublished;
import io.estuary.contracts.Topics;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A software CA standing in for the signer's, its chain published where the signer publishes it. */
public class TestCaChainResource implements QuarkusTestResourceLifecycleManager {
    public static CertificateAuthority ca;

    @Override
    public Map<String, String> start() {
        KeyPair key = TestCsrs.ecP256();
        BouncyCastleProvider bc = new BouncyCastleProvider();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=Frontend Test CA"),
                key.getPublic(), key.getPrivate(), bc, Duration.ofDays(30), Instant.now());
        ca = new CertificateAuthority(List.of(root), key.getPrivate(), bc);
        // Published as the signer publishes its chains; the frontend learns it from the compacted topic.
        try (KafkaTestClient kafka = new KafkaTestClient()) {
            kafka.send(Topics.CA_CHAINS, "estuary-ca", new CaChainPublished("estuary-ca",
                    List.of(Base64.getEncoder().encodeToString(root.getEncoded())), Instant.now()));
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
