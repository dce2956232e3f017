package io.estuary.pki.ca;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;

import io.estuary.pki.token.Pkcs11Token;
import io.estuary.pki.token.TokenUnavailableException;
import io.estuary.pki.wire.Pem;

/**
 * Operator command: creates a root CA whose key pair is generated inside the PKCS#11 token and never leaves it, stores
 * its certificate in the token next to the key, and writes the certificate (public) as PEM.
 *
 * <pre>
 * init-root --library L --slot-index N --alias A --subject DN --key-type EC-P256|EC-P384|RSA-2048|RSA-3072
 *           --validity-days D --out ca.pem      (PIN from ESTUARY_HSM_PIN or ESTUARY_HSM_PIN_FILE)
 * init-issuing --alias A --issuer-alias ROOT --subject DN --key-type T --validity-days D --out chain.pem
 * request  --alias A --subject DN --key-type T --out ca.csr   (key in the token, CSR for an external root)
 * import   --alias A --chain signed-chain.pem --out chain.pem (the signed certificate first, then its issuers)
 * export   --library L --slot-index N --alias A --out ca.pem  (the whole chain)
 * </pre>
 * Every key is generated inside the token, sensitive and never extractable.
 */
public final class CaCommand {

    public static void main(String[] args) {
        try {
            System.exit(run(args, null));
        } catch (IllegalArgumentException | IllegalStateException | TokenUnavailableException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** @param pin the token's user PIN, or null to read it from ESTUARY_HSM_PIN / ESTUARY_HSM_PIN_FILE */
    public static int run(String[] args, char[] pin) {
        if (args.length == 0) {
            throw new IllegalArgumentException(
                    "usage: init-root|init-issuing|request|import|export [--option value]...");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        Pkcs11Token.Settings settings = new Pkcs11Token.Settings("estuary-ca",
                require(options, "library"), Integer.parseInt(options.getOrDefault("slot-index", "0")));
        Pkcs11Token token = Pkcs11Token.open(settings,
                pin != null ? pin : Pkcs11Token.pinFromEnvironment("ESTUARY_HSM_PIN"));
        String alias = require(options, "alias");
        Path out = Path.of(require(options, "out"));
        switch (args[0]) {
            case "init-root" -> {
                refuseExisting(token, alias);
                KeyPair keyPair = generate(token, options.getOrDefault("key-type", "EC-P256"));
                X509Certificate certificate = CertificateAuthority.selfSignedRoot(
                        new X500Name(require(options, "subject")), keyPair.getPublic(), keyPair.getPrivate(),
                        token.provider(), Duration.ofDays(Long.parseLong(options.getOrDefault("validity-days", "3650"))),
                        Instant.now());
                token.storeCertificate(alias, keyPair.getPrivate(), certificate);
                writePem(out, certificate);
                System.out.println("created CA '" + alias + "' in the token: " + certificate.getSubjectX500Principal());
            }
            case "init-issuing" -> {
                refuseExisting(token, alias);
                CertificateAuthority issuer = CertificateAuthority.inToken(token, require(options, "issuer-alias"));
                KeyPair keyPair = generate(token, options.getOrDefault("key-type", "EC-P256"));
                X509Certificate certificate = issuer.issueSubordinateCa(new X500Name(require(options, "subject")),
                        keyPair.getPublic(),
                        Duration.ofDays(Long.parseLong(options.getOrDefault("validity-days", "1825"))), Instant.now());
                X509Certificate[] chain = chain(certificate, issuer.chain());
                token.storeCertificate(alias, keyPair.getPrivate(), chain);
                writePem(out, chain);
                System.out.println("created issuing CA '" + alias + "' under '" + options.get("issuer-alias") + "'");
            }
            case "request" -> {
                refuseExisting(token, alias);
                X500Name subject = new X500Name(require(options, "subject"));
                KeyPair keyPair = generate(token, options.getOrDefault("key-type", "EC-P256"));
                // A placeholder self-signed certificate keeps the key addressable until the signed one is imported.
                token.storeCertificate(alias, keyPair.getPrivate(), CertificateAuthority.selfSignedRoot(subject,
                        keyPair.getPublic(), keyPair.getPrivate(), token.provider(), Duration.ofDays(30),
                        Instant.now()));
                writeCsr(out, subject, keyPair, token);
                System.out.println("created key '" + alias + "' in the token; CSR written to " + out);
            }
            case "import" -> {
                X509Certificate[] chain = readChain(Path.of(require(options, "chain")));
                CertificateAuthority current = CertificateAuthority.inToken(token, alias);
                if (!chain[0].getPublicKey().equals(current.certificate().getPublicKey())) {
                    throw new IllegalArgumentException("the certificate's key is not the key of '" + alias + "'");
                }
                for (int i = 0; i + 1 < chain.length; i++) {
                    try {
                        chain[i].verify(chain[i + 1].getPublicKey());
                    } catch (java.security.GeneralSecurityException e) {
                        throw new IllegalArgumentException("certificate " + i + " of the chain is not signed by "
                                + "certificate " + (i + 1));
                    }
                }
                if (chain[0].getBasicConstraints() < 0) {
                    throw new IllegalArgumentException("the imported certificate is not a CA certificate");
                }
                token.storeCertificate(alias, token.privateKey(alias), chain);
                writePem(out, chain);
                System.out.println("imported the signed certificate of '" + alias + "'");
            }
            case "export" -> writePem(out, CertificateAuthority.inToken(token, alias).chain()
                    .toArray(X509Certificate[]::new));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
        return 0;
    }

    private static KeyPair generate(Pkcs11Token token, String keyType) {
        try {
            KeyPairGenerator generator;
            switch (keyType) {
                case "EC-P256", "EC-P384" -> {
                    generator = KeyPairGenerator.getInstance("EC", token.provider());
                    generator.initialize(new ECGenParameterSpec(keyType.equals("EC-P256") ? "secp256r1" : "secp384r1"));
                }
                case "RSA-2048", "RSA-3072" -> {
                    generator = KeyPairGenerator.getInstance("RSA", token.provider());
                    generator.initialize(new RSAKeyGenParameterSpec(Integer.parseInt(keyType.substring(4)),
                            RSAKeyGenParameterSpec.F4));
                }
                default -> throw new IllegalArgumentException(
                        "unsupported key type " + keyType + " (EC-P256, EC-P384, RSA-2048, RSA-3072)");
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("key generation in the token failed: " + e.getMessage(), e);
        }
    }

    private static void refuseExisting(Pkcs11Token token, String alias) {
        if (token.contains(alias)) {
            throw new IllegalStateException("the token already holds a CA under alias '" + alias
                    + "'; use export to write its certificate");
        }
    }

    private static X509Certificate[] chain(X509Certificate first, java.util.List<X509Certificate> rest) {
        X509Certificate[] chain = new X509Certificate[rest.size() + 1];
        chain[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            chain[i + 1] = rest.get(i);
        }
        return chain;
    }

    private static X509Certificate[] readChain(Path file) {
        try (var in = Files.newInputStream(file)) {
            X509Certificate[] chain = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(in).stream().map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
            if (chain.length == 0) {
                throw new IllegalArgumentException("no certificate in " + file);
            }
            return chain;
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void writeCsr(Path out, X500Name subject, KeyPair keyPair, Pkcs11Token token) {
        try {
            var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(subject,
                    keyPair.getPublic()).build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                            CertificateAuthority.signatureAlgorithm(keyPair.getPrivate(), keyPair.getPublic()))
                            .setProvider(token.provider()).build(keyPair.getPrivate()));
            java.io.StringWriter pem = new java.io.StringWriter();
            try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
                writer.writeObject(request);
            }
            Files.writeString(out, pem.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the CSR: " + e.getMessage(), e);
        }
    }

    private static void writePem(Path out, X509Certificate... certificate) {
        try {
            Files.writeString(out, Pem.encode(certificate));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
