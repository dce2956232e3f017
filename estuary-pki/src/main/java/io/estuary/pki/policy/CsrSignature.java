package io.estuary.pki.policy;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import io.estuary.pki.token.NativeCrypto;

/**
 * The check of a CSR's self-signature (its proof of possession) with AWS-LC, through the Amazon Corretto Crypto
 * Provider: an EC P-256 check costs about a third of Bouncy Castle's, and this check is most of the CPU an enrollment
 * takes in the frontend and in the signer. It covers the algorithms devices use (ECDSA and RSA PKCS#1 v1.5 with
 * SHA-2); anything else, or a platform where the native library does not load, is left to Bouncy Castle, which
 * {@link #check} then reports as not decided.
 */
final class CsrSignature {
    // Every algorithm a profile may accept (and no other): OID to JCA name.
    private static final Map<ASN1ObjectIdentifier, String> SIGNATURES = CertificateProfile.SIGNATURE_ALGORITHMS
            .entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getValue,
                    Map.Entry::getKey));
    private static final Map<ASN1ObjectIdentifier, String> KEYS = Map.of(
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            PKCSObjectIdentifiers.rsaEncryption, "RSA");

    private static final Provider NATIVE = NativeCrypto.provider().orElse(null);

    private CsrSignature() {
    }

    static Optional<Provider> nativeProvider() {
        return Optional.ofNullable(NATIVE);
    }

    /** Who checks CSR signatures in this process, for start-up logs. */
    static String checkedBy() {
        return NATIVE != null ? NativeCrypto.describe() : "Bouncy Castle (" + NativeCrypto.describe() + ")";
    }

    /**
     * What the native check decided, and the request's public key as it read it: null unless that key encodes to
     * exactly the request's SubjectPublicKeyInfo, so that using it changes nothing a certificate would carry.
     */
    record Verdict(boolean valid, PublicKey key) {
    }

    /**
     * Checks the signature with {@code provider}: a verdict when it decided, empty when it cannot (an algorithm or
     * key it does not cover, or no provider), so the caller decides with Bouncy Castle.
     */
    static Optional<Verdict> check(CertificationRequest request, Provider provider) {
        if (provider == null) {
            return Optional.empty();
        }
        AlgorithmIdentifier signatureAlgorithm = request.getSignatureAlgorithm();
        String algorithm = SIGNATURES.get(signatureAlgorithm.getAlgorithm());
        var keyInfo = request.getCertificationRequestInfo().getSubjectPublicKeyInfo();
        String keyAlgorithm = KEYS.get(keyInfo.getAlgorithm().getAlgorithm());
        boolean noParameters = signatureAlgorithm.getParameters() == null
                || DERNull.INSTANCE.equals(signatureAlgorithm.getParameters());
        if (algorithm == null || keyAlgorithm == null || !noParameters
                || !algorithm.endsWith(keyAlgorithm.equals("EC") ? "ECDSA" : "RSA")) {
            return Optional.empty();
        }
        PublicKey key;
        PublicKey sameKey;
        try {
            byte[] encodedKey = keyInfo.getEncoded(ASN1Encoding.DER);
            key = KeyFactory.getInstance(keyAlgorithm, provider).generatePublic(new X509EncodedKeySpec(encodedKey));
            // Reading the key again with Bouncy Castle cost as much as this check did. Kept only where it encodes
            // as the request does (not, say, a compressed point): anything else is read by Bouncy Castle as before.
            sameKey = Arrays.equals(key.getEncoded(), encodedKey) ? key : null;
        } catch (GeneralSecurityException | IOException e) {
            // A curve or encoding AWS-LC does not take: Bouncy Castle decides (and the profile policy after it).
            return Optional.empty();
        }
        if (request.getSignature().getPadBits() != 0) {
            return Optional.of(new Verdict(false, sameKey));
        }
        try {
            Signature verifier = Signature.getInstance(algorithm, provider);
            verifier.initVerify(key);
            verifier.update(request.getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
            return Optional.of(new Verdict(verifier.verify(request.getSignature().getOctets()), sameKey));
        } catch (SignatureException e) {
            // Not a well-formed signature value for this algorithm: it does not verify.
            return Optional.of(new Verdict(false, sameKey));
        } catch (GeneralSecurityException | IOException e) {
            return Optional.empty();
        }
    }
}
