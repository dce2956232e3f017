package io.estuary.pki.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * A PKCS#11 token reached through the JDK's SunPKCS11 provider. The configured provider is named
 * {@code SunPKCS11-<name>} and must be passed explicitly to signers. Keys generated through it are token objects,
 * sensitive and never extractable.
 * <p>
 * A token that cannot be reached, logged in to or read throws {@link TokenUnavailableException}; a configuration that
 * cannot work (no PIN given, no key under an alias) a plain {@link IllegalStateException}.
 */
public final class Pkcs11Token {

    /**
     * @param name          provider name suffix
     * @param library       the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @param slotListIndex index among slots with a token present; SunPKCS11 cannot select by token label
     */
    public record Settings(String name, String library, int slotListIndex) {
    }

    private final Provider provider;
    private final KeyStore keyStore;

    private Pkcs11Token(Provider provider, KeyStore keyStore) {
        this.provider = provider;
        this.keyStore = keyStore;
    }

    /** Configures the provider and logs in. The PIN is used once and never kept as a String. */
    public static Pkcs11Token open(Settings settings, char[] pin) {
        if (!Files.isReadable(Path.of(settings.library()))) {
            throw new TokenUnavailableException("PKCS#11 library not found: " + settings.library());
        }
        String config = String.join("\n",
                "--name = " + settings.name(),
                "library = " + settings.library(),
                "slotListIndex = " + settings.slotListIndex(),
                // Without this block generated keys are session objects copied to the token, not "always sensitive".
                "attributes(generate, CKO_PRIVATE_KEY, *) = {",
                "  CKA_TOKEN = true",
                "  CKA_PRIVATE = true",
                "  CKA_SENSITIVE = true",
                "  CKA_EXTRACTABLE = false",
                "  CKA_SIGN = true",
                "}",
                "attributes(generate, CKO_PUBLIC_KEY, *) = {",
                "  CKA_TOKEN = true",
                "  CKA_VERIFY = true",
                "}",
                "");
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new IllegalStateException("the JDK has no SunPKCS11 provider");
        }
        Provider provider = base.configure(config);
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
            return new Pkcs11Token(provider, keyStore);
        } catch (GeneralSecurityException | IOException e) {
            throw new TokenUnavailableException("cannot log in to the PKCS#11 token (" + settings.library()
                    + ", slot index " + settings.slotListIndex() + "): " + e.getMessage(), e);
        }
    }

    public Provider provider() {
        return provider;
    }

    public boolean contains(String alias) {
        try {
            return keyStore.containsAlias(alias);
        } catch (GeneralSecurityException e) {
            throw new TokenUnavailableException("cannot list the token's keys: " + e.getMessage(), e);
        }
    }

    /** The private key stored under {@code alias} and its certificate chain, the key's own certificate first. */
    public KeyStore.PrivateKeyEntry keyEntry(String alias) {
        try {
            Key key = keyStore.getKey(alias, null);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalStateException("no private key with alias '" + alias + "' in the token");
            }
            Certificate[] chain = Optional.ofNullable(keyStore.getCertificateChain(alias))
                    .orElseThrow(() -> new IllegalStateException("no certificate stored for alias '" + alias + "'"));
            return new KeyStore.PrivateKeyEntry(privateKey, chain);
        } catch (GeneralSecurityException e) {
            throw new TokenUnavailableException("cannot read key '" + alias + "' from the token: " + e.getMessage(), e);
        }
    }

    /**
     * Stores the certificate chain (the key's own certificate first) for a key in this token; SunPKCS11 lists keys
     * only with a certificate. Replacing the chain of an existing alias keeps its key.
     */
    public void storeCertificate(String alias, PrivateKey key, X509Certificate... chain) {
        try {
            keyStore.setKeyEntry(alias, key, null, chain);
        } catch (GeneralSecurityException e) {
            throw new TokenUnavailableException("cannot store the certificate in the token: " + e.getMessage(), e);
        }
    }

    /** The certificate stored under an alias (public: no key is touched). */
    public X509Certificate certificate(String alias) {
        try {
            if (keyStore.getCertificate(alias) instanceof X509Certificate certificate) {
                return certificate;
            }
            throw new IllegalStateException("no certificate stored for alias '" + alias + "'");
        } catch (GeneralSecurityException e) {
            throw new TokenUnavailableException("cannot read '" + alias + "' from the token: " + e.getMessage(), e);
        }
    }

    /** Every alias in the token. */
    public java.util.List<String> aliases() {
        try {
            return java.util.Collections.list(keyStore.aliases());
        } catch (GeneralSecurityException e) {
            throw new TokenUnavailableException("cannot list the token's keys: " + e.getMessage(), e);
        }
    }

    /** The key handle stored under an alias (never its value: it cannot leave the token). */
    public PrivateKey privateKey(String alias) {
        try {
            if (keyStore.getKey(alias, null) instanceof PrivateKey key) {
                return key;
            }
            throw new IllegalStateException("no private key with alias '" + alias + "' in the token");
        } catch (GeneralSecurityException e) {
            throw new TokenUnavailableException("cannot read key '" + alias + "' from the token: " + e.getMessage(), e);
        }
    }

    /** Reads the PIN from a file named by {@code <var>_FILE}, else from {@code <var>}; fails if neither is set. */
    public static char[] pinFromEnvironment(String var) {
        String file = System.getenv(var + "_FILE");
        try {
            if (file != null && !file.isBlank()) {
                return Files.readString(Path.of(file)).strip().toCharArray();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + var + "_FILE: " + e.getMessage(), e);
        }
        String pin = System.getenv(var);
        if (pin == null || pin.isEmpty()) {
            throw new IllegalStateException("set " + var + " or " + var + "_FILE to the token's user PIN");
        }
        return pin.toCharArray();
    }
}
