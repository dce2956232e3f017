package io.estuary.pki.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.CsrPolicy;
import io.estuary.pki.policy.InvalidCsrException;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;

/**
 * An enrollment's PKI work done with throwaway keys and a throwaway CA held in memory: reading a CSR body and checking
 * its signature, the profiles' policy, assembling and signing a certificate, the certs-only answer. A freshly started
 * service runs it before it reports ready, so its first real requests find this code compiled rather than interpreted;
 * nothing it makes leaves it, and no CA of the deployment signs anything.
 */
public final class IssuanceRehearsal {
    private static final int REQUESTS = 4;

    private final List<CertificateProfile> profiles;
    private final CertificateAuthority ca;
    private final List<String> bodies = new ArrayList<>();

    /** @param profiles the profiles the service issues under (a CSR one refuses is still read and checked) */
    public IssuanceRehearsal(Collection<CertificateProfile> profiles) {
        this.profiles = List.copyOf(profiles);
        try {
            KeyPair caKey = ecKey();
            Provider signer = signerOf(caKey.getPrivate());
            Instant now = Instant.now();
            this.ca = new CertificateAuthority(List.of(CertificateAuthority.selfSignedRoot(
                    new X500Name("CN=Estuary warm-up (throwaway)"), caKey.getPublic(), caKey.getPrivate(), signer,
                    Duration.ofDays(1), now)), caKey.getPrivate(), signer);
            for (int i = 0; i < REQUESTS; i++) {
                KeyPair device = ecKey();
                bodies.add(Base64Body.encode(new JcaPKCS10CertificationRequestBuilder(
                        new X500Name("CN=warm-up-device-" + i), device.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(signerOf(
                                device.getPrivate())).build(device.getPrivate()))
                        .getEncoded()));
            }
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                | java.io.IOException e) {
            throw new IllegalStateException("cannot prepare the warm-up's throwaway keys", e);
        }
    }

    /**
     * One round: every request read and checked under every profile and, where the profile accepts it, issued and
     * answered. Returns the certificates made (DER), for the caller's own rehearsal of what follows.
     */
    public List<byte[]> round(Instant now) {
        List<byte[]> made = new ArrayList<>();
        for (String body : bodies) {
            CertificationRequest csr = CertificationRequest.fromBody(body);
            for (CertificateProfile profile : profiles) {
                try {
                    CsrPolicy.check(csr, profile);
                    byte[] der = ca.issue(CertificationRequest.fromDer(csr.encoded()), profile, now).encoded();
                    CertsOnly.encodeDer(List.of(der));
                    made.add(der);
                } catch (InvalidCsrException e) {
                    // a profile for other keys or subjects: the checks ran all the same
                }
            }
        }
        return made;
    }

    private static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The provider the JVM picks to sign with this key (AWS-LC where it is installed first). */
    private static Provider signerOf(PrivateKey key) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(key);
        return signature.getProvider();
    }
}
