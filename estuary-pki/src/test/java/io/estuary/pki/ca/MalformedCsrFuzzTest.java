package io.estuary.pki.ca;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.testkit.CertificateLint;
import io.estuary.testkit.TestCsrs;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.MalformedRequestException;
import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.policy.CertificationRequest;
import io.estuary.pki.policy.CsrPolicy;
import io.estuary.pki.policy.InvalidCsrException;

/**
 * Thousands of mutated CSRs (a fixed seed) through what the frontend runs and what the signer runs: each must end
 * in a refusal the services map to 400 / REJECTED, or in a certificate that passes the linter; never in any other
 * exception (the frontend answers 500 for those, and the signer would take an IllegalStateException for a token
 * failure).
 */
class MalformedCsrFuzzTest {
    private static final long SEED = 0x5EED_CE57L;
    private static final int MUTANTS = 5_000;
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private static final List<CertificateProfile> PROFILES = List.of(
            CertificateProfile.deviceIdentity(Duration.ofDays(30)),
            new CertificateProfile("edge-ca", "estuary-ca", Duration.ofDays(90), 2048, Set.of("P-256", "P-384"),
                    List.of(), true, Optional.empty(), Optional.empty(), true, true),
            new CertificateProfile("tls-server", "estuary-ca", Duration.ofDays(90), 2048, Set.of("P-256"),
                    List.of(KeyPurposeId.id_kp_serverAuth), false, Optional.empty(), Optional.of("fixed.example"),
                    true, false, Optional.empty(), Optional.empty(), Optional.empty(), true, true,
                    CertificateProfile.DEFAULT_SIGNATURE_ALGORITHMS),
            new CertificateProfile("no-san", "estuary-ca", Duration.ofDays(1), 2048, Set.of("P-256", "P-384"),
                    List.of(KeyPurposeId.id_kp_clientAuth), false, Optional.empty(), Optional.empty(), false, true));

    /** A request the mutations start from, and the key that signs its mutants again. */
    private record Seed(byte[] der, PrivateKey key, String algorithm) {
    }

    @Test
    void everyMutantIsRefusedOrIssuedAsAValidCertificate() throws Exception {
        Random random = new Random(SEED);
        SecureRandom keys = SecureRandom.getInstance("SHA1PRNG");
        keys.setSeed(SEED);
        List<Seed> seeds = seeds(keys);
        CertificateAuthority ca = CertificateAuthorityTest.softwareCa(Duration.ofDays(365));
        Instant now = Instant.now();

        List<String> escapes = new ArrayList<>();
        Set<String> kinds = new java.util.HashSet<>();
        int issued = 0;
        int refused = 0;
        for (int i = 0; i < MUTANTS; i++) {
            Seed seed = seeds.get(random.nextInt(seeds.size()));
            CertificateProfile profile = PROFILES.get(random.nextInt(PROFILES.size()));
            int kind = random.nextInt(10);
            byte[] mutant;
            try {
                mutant = mutate(seed, kind, random);
            } catch (IOException | RuntimeException e) {
                continue; // a mutation Bouncy Castle cannot encode: nothing to send
            }
            String label = "mutant " + i + " (kind " + kind + ", profile " + profile.name() + ")";
            // The frontend: base64 body, parse with the signature check, the profile's policy.
            Outcome frontend = run(() -> CsrPolicy.check(CertificationRequest.fromBody(Base64Body.encode(mutant)),
                    profile));
            // The signer, with and without the signature check.
            Outcome verified = run(() -> lint(ca, ca.issue(CertificationRequest.fromDer(mutant), profile, now)));
            Outcome unverified = run(() -> lint(ca, ca.issue(CertificationRequest.fromDerUnverified(mutant), profile,
                    now)));
            for (Outcome outcome : List.of(frontend, verified, unverified)) {
                // One example of each kind of escape.
                if (outcome.escape() != null && kinds.add(outcome.escape().lines().findFirst().orElse(""))) {
                    escapes.add(label + ": " + outcome.escape() + "\n  " + HexFormat.of().formatHex(mutant));
                }
            }
            if (unverified.escape() == null) {
                if (unverified.refused()) {
                    refused++;
                } else {
                    issued++;
                }
            }
        }
        assertTrue(escapes.isEmpty(), () -> escapes.size() + " unmapped outcomes:\n" + String.join("\n", escapes));
        // The mutations reach past parsing: some mutants are issued, most are refused.
        assertTrue(issued > 100 && refused > MUTANTS / 2, "issued " + issued + ", refused " + refused);
    }

    private record Outcome(boolean refused, String escape) {
    }

    private static Outcome run(ThrowingRunnable step) {
        try {
            step.run();
            return new Outcome(false, null);
        } catch (InvalidCsrException | MalformedRequestException e) {
            return new Outcome(true, null);
        } catch (Throwable e) {
            var trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            return new Outcome(false, trace.toString().lines().limit(8).reduce((a, b) -> a + "\n    " + b).orElse(""));
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void lint(CertificateAuthority ca, IssuedCertificate issued) {
        CertificateLint.check(issued.certificate(), ca.certificate());
    }

    private static List<Seed> seeds(SecureRandom random) throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", BC);
        ec.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair p256 = ec.generateKeyPair();
        ec.initialize(new ECGenParameterSpec("secp384r1"), random);
        KeyPair p384 = ec.generateKeyPair();
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA", BC);
        rsaGenerator.initialize(2048, random);
        KeyPair rsa = rsaGenerator.generateKeyPair();

        GeneralNames names = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "device-1.example.com"),
                new GeneralName(GeneralName.iPAddress, "192.0.2.7"),
                new GeneralName(GeneralName.rfc822Name, "ops@example.com"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/device/1") });
        Extension san = new Extension(Extension.subjectAlternativeName, false, names.getEncoded());
        Extension ca = new Extension(Extension.basicConstraints, true, new BasicConstraints(0).getEncoded());
        Extension usage = new Extension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).getEncoded());
        Attribute password = new Attribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                new DERSet(new DERUTF8String("tls-unique:c2VjcmV0")));
        X500Name subject = new X500Name("C=DE,O=Example,CN=device-1");

        List<Seed> seeds = new ArrayList<>();
        seeds.add(seed(TestCsrs.requestInfo(subject, p256, TestCsrs.extensionRequest(san), password), p256,
                "SHA256withECDDSA"));
        seeds.add(seed(TestCsrs.requestInfo(new X500Name("CN=aziot-edge CA my-device"), p384,
                TestCsrs.extensionRequest(ca, usage)), p384, "SHA384withECDDSA"));
        seeds.add(seed(TestCsrs.requestInfo(new X500Name("CN=rsa-device"), rsa, TestCsrs.extensionRequest(san)), rsa,
                "SHA256withRSA"));
        seeds.add(seed(TestCsrs.requestInfo(new X500Name("CN=plain"), p256), p256, "SHA256withECDDSA"));
        for (Seed seed : seeds) {
            CertificationRequest.fromDer(seed.der()); // each seed itself is valid
        }
        return seeds;
    }

    private static Seed seed(ASN1Sequence info, KeyPair key, String algorithm) throws Exception {
        return new Seed(sign(info, key.getPrivate(), algorithm), key.getPrivate(), algorithm);
    }

    private static final java.util.Map<String, ASN1ObjectIdentifier> ALGORITHMS = java.util.Map.of(
            "SHA256withECDDSA", org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256,
            "SHA384withECDDSA", org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA384,
            "SHA256withRSA", PKCSObjectIdentifiers.sha256WithRSAEncryption);

    /** Signed with deterministic ECDSA (RFC 6979) or RSA PKCS#1 v1.5: the same mutants on every run. */
    private static byte[] sign(ASN1Encodable info, PrivateKey key, String algorithm) throws Exception {
        java.security.Signature signature = java.security.Signature.getInstance(algorithm, BC);
        signature.initSign(key);
        signature.update(info.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        ASN1ObjectIdentifier oid = ALGORITHMS.get(algorithm);
        var id = oid.equals(PKCSObjectIdentifiers.sha256WithRSAEncryption)
                ? new org.bouncycastle.asn1.x509.AlgorithmIdentifier(oid, DERNull.INSTANCE)
                : new org.bouncycastle.asn1.x509.AlgorithmIdentifier(oid);
        return new DERSequence(new ASN1Encodable[] { info, id,
                new org.bouncycastle.asn1.DERBitString(signature.sign()) }).getEncoded(ASN1Encoding.DER);
    }

    private static byte[] mutate(Seed seed, int kind, Random random) throws IOException {
        byte[] der = seed.der().clone();
        switch (kind) {
        case 0 -> { // a bit flipped
            int at = random.nextInt(der.length);
            der[at] ^= (byte) (1 << random.nextInt(8));
            return der;
        }
        case 1 -> { // a byte replaced
            der[random.nextInt(der.length)] = (byte) random.nextInt(256);
            return der;
        }
        case 2 -> { // truncated
            return java.util.Arrays.copyOf(der, random.nextInt(der.length));
        }
        case 3 -> { // a length octet changed
            List<Integer> lengths = lengthOctets(der);
            int at = lengths.get(random.nextInt(lengths.size()));
            int[] choices = { 0, 1, -1, 2, -2, 0x7f, 0x80, 0x81, 0xff };
            int choice = choices[random.nextInt(choices.length)];
            der[at] = (byte) (choice == 0 || choice == 1 || choice == -1 || choice == 2 || choice == -2
                    ? der[at] + choice : choice);
            return der;
        }
        case 4 -> { // bytes inserted, removed or repeated
            int at = random.nextInt(der.length);
            int span = 1 + random.nextInt(Math.min(16, der.length - at));
            byte[] out;
            switch (random.nextInt(3)) {
            case 0 -> {
                byte[] inserted = new byte[span];
                random.nextBytes(inserted);
                out = concat(java.util.Arrays.copyOf(der, at), inserted,
                        java.util.Arrays.copyOfRange(der, at, der.length));
            }
            case 1 -> out = concat(java.util.Arrays.copyOf(der, at), java.util.Arrays.copyOfRange(der, at + span,
                    der.length));
            default -> out = concat(java.util.Arrays.copyOf(der, at + span),
                    java.util.Arrays.copyOfRange(der, at, der.length));
            }
            return out;
        }
        default -> {
            // A field of the request info re-encoded (another type, value, tag, or a repeated or missing element),
            // signed again mostly, so that the mutant passes the signature check and reaches the policy and the CA.
            ASN1Sequence request = ASN1Sequence.getInstance(der);
            ASN1Primitive info = request.getObjectAt(0).toASN1Primitive();
            int nodes = count(info);
            ASN1Primitive mutated = replace(info, new int[] { random.nextInt(nodes) }, random);
            if (kind == 9) {
                return new DERSequence(new ASN1Encodable[] { mutated, request.getObjectAt(1), request.getObjectAt(2) })
                        .getEncoded(ASN1Encoding.DER);
            }
            try {
                return sign(mutated, seed.key(), seed.algorithm());
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        }
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Offsets of the first length octet of every TLV in a DER encoding. */
    private static List<Integer> lengthOctets(byte[] der) {
        List<Integer> offsets = new ArrayList<>();
        walk(der, 0, der.length, offsets);
        return offsets.isEmpty() ? List.of(1) : offsets;
    }

    private static void walk(byte[] der, int from, int to, List<Integer> offsets) {
        int at = from;
        while (at + 2 <= to) {
            int tag = der[at] & 0xff;
            offsets.add(at + 1);
            int length = der[at + 1] & 0xff;
            int header = 2;
            if (length > 0x80) {
                int octets = length & 0x7f;
                if (octets > 3 || at + 2 + octets > to) {
                    return;
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[at + 2 + i] & 0xff);
                }
                header += octets;
            }
            if (at + header + length > to) {
                return;
            }
            if ((tag & 0x20) != 0) {
                walk(der, at + header, at + header + length, offsets);
            }
            at += header + length;
        }
    }

    private static int count(ASN1Primitive node) {
        int n = 1;
        for (ASN1Primitive child : children(node)) {
            n += count(child);
        }
        return n;
    }

    private static List<ASN1Primitive> children(ASN1Primitive node) {
        List<ASN1Primitive> children = new ArrayList<>();
        if (node instanceof ASN1Sequence sequence) {
            sequence.forEach(e -> children.add(e.toASN1Primitive()));
        } else if (node instanceof ASN1Set set) {
            set.forEach(e -> children.add(e.toASN1Primitive()));
        } else if (node instanceof ASN1TaggedObject tagged && tagged.isExplicit()) {
            children.add(tagged.getExplicitBaseObject().toASN1Primitive());
        } else if (node instanceof ASN1OctetString octets && octets.getOctets().length > 0) {
            // Extension values and key bits hold DER of their own: mutate inside them too.
            try {
                children.add(ASN1Primitive.fromByteArray(octets.getOctets()));
            } catch (IOException | RuntimeException e) {
                // not DER inside
            }
        }
        return children;
    }

    /** The tree with the node at {@code target[0]} (pre-order) replaced; counts down as it walks. */
    private static ASN1Primitive replace(ASN1Primitive node, int[] target, Random random) throws IOException {
        if (target[0]-- == 0) {
            return mutant(node, random);
        }
        List<ASN1Primitive> children = children(node);
        if (children.isEmpty()) {
            return node;
        }
        List<ASN1Encodable> rebuilt = new ArrayList<>();
        for (ASN1Primitive child : children) {
            rebuilt.add(target[0] >= 0 ? replace(child, target, random) : child);
        }
        ASN1Encodable[] elements = rebuilt.toArray(ASN1Encodable[]::new);
        if (node instanceof ASN1Sequence) {
            return new DERSequence(elements);
        }
        if (node instanceof ASN1Set) {
            return new DERSet(elements);
        }
        if (node instanceof ASN1TaggedObject tagged) {
            return new DERTaggedObject(true, tagged.getTagClass(), tagged.getTagNo(), elements[0]);
        }
        return new DEROctetString(elements[0].toASN1Primitive().getEncoded(ASN1Encoding.DER));
    }

    private static ASN1Primitive mutant(ASN1Primitive node, Random random) throws IOException {
        String text = node instanceof ASN1String s ? s.getString() : "device";
        List<ASN1Primitive> children = children(node);
        switch (random.nextInt(12)) {
        case 0:
            return new DERUTF8String(text);
        case 1:
            return new DERPrintableString(text);
        case 2:
            return new DERIA5String(text);
        case 3:
            return new DERBMPString(text);
        case 4:
            return new DERT61String(text);
        case 5: { // contents of arbitrary bytes under a string tag
            byte[] contents = new byte[random.nextInt(8)];
            random.nextBytes(contents);
            int[] tags = { 0x0C, 0x13, 0x16, 0x1E, 0x04 };
            byte[] encoded = new byte[contents.length + 2];
            encoded[0] = (byte) tags[random.nextInt(tags.length)];
            encoded[1] = (byte) contents.length;
            System.arraycopy(contents, 0, encoded, 2, contents.length);
            return ASN1Primitive.fromByteArray(encoded);
        }
        case 6:
            return new ASN1Integer(BigInteger.valueOf(random.nextInt(5) - 2).shiftLeft(random.nextInt(300)));
        case 7:
            return DERNull.INSTANCE;
        case 8:
            return new DERSequence();
        case 9: { // a child repeated
            if (children.isEmpty()) {
                return new DERSequence(node);
            }
            List<ASN1Encodable> more = new ArrayList<>(children);
            more.add(children.get(random.nextInt(children.size())));
            return node instanceof ASN1Set ? new DERSet(more.toArray(ASN1Encodable[]::new))
                    : new DERSequence(more.toArray(ASN1Encodable[]::new));
        }
        case 10: { // a child removed
            if (children.isEmpty()) {
                return new DERSequence();
            }
            List<ASN1Encodable> fewer = new ArrayList<>(children);
            fewer.remove(random.nextInt(fewer.size()));
            return node instanceof ASN1Set ? new DERSet(fewer.toArray(ASN1Encodable[]::new))
                    : new DERSequence(fewer.toArray(ASN1Encodable[]::new));
        }
        default: // under another context tag, implicitly or explicitly
            return new DERTaggedObject(random.nextBoolean(), random.nextInt(9),
                    node instanceof ASN1TaggedObject t ? t.getBaseObject() : node);
        }
    }
}
