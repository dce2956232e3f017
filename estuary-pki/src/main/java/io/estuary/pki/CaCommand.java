package io.estuary.pki;

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

/**
 * Operator command: creates a root CA whose key pair is generated inside the PKCS#11 token and never leaves it, stores
 * its certificate in the token next to the key, and writes the certificate (public) as PEM.
 *
 * <pre>
 * init-root --library L --slot-index N --alias A --subject DN --key-type EC-P256|EC-P384|RSA-2048|RSA-3072
 *           --validity-days D --out ca.pem      (PIN from ESTUARY_HSM_PIN or ESTUARY_HSM_PIN_FILE)
 * export   --library L --slot-index N --alias A --out ca.pem
 * </pre>
 */
public final class CaCommand {

    public static void main(String[] args) {
        try {
            System.exit(run(args, null));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** @param pin the token's user PIN, or null to read it from ESTUARY_HSM_PIN / ESTUARY_HSM_PIN_FILE */
    public static int run(String[] args, char[] pin) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: init-root|export [--option value]...");
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
                if (token.contains(alias)) {
                    throw new IllegalStateException("the token already holds a CA under alias '" + alias
                            + "'; use export to write its certificate");
                }
                KeyPair keyPair = generate(token, options.getOrDefault("key-type", "EC-P256"));
                X509Certificate certificate = CertificateAuthority.selfSignedRoot(
                        new X500Name(require(options, "subject")), keyPair.getPublic(), keyPair.getPrivate(),
                        token.provider(), Duration.ofDays(Long.parseLong(options.getOrDefault("validity-days", "3650"))),
                        Instant.now());
                token.storeCertificate(alias, keyPair.getPrivate(), certificate);
                writePem(out, certificate);
                System.out.println("created CA '" + alias + "' in the token: " + certificate.getSubjectX500Principal());
            }
            case "export" -> writePem(out, token.certificateAuthority(alias).certificate());
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

    private static void writePem(Path out, X509Certificate certificate) {
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
