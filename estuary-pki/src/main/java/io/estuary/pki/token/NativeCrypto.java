package io.estuary.pki.token;

import java.security.Provider;
import java.security.Security;
import java.util.Optional;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * AWS-LC through the Amazon Corretto Crypto Provider (ACCP): native ECDSA, ECDH/X25519, AES-GCM, HMAC and RSA behind
 * the JCA names. It ships its library for linux x86_64 here (the {@code accp.classifier} of the build); elsewhere, or
 * if its self-tests fail, it is absent and callers use the JDK's and Bouncy Castle's providers as before.
 */
public final class NativeCrypto {
    private static final AmazonCorrettoCryptoProvider PROVIDER = load();

    private NativeCrypto() {
    }

    /** The provider, or empty where it does not load. */
    public static Optional<Provider> provider() {
        return Optional.ofNullable(PROVIDER);
    }

    /**
     * Makes it the JVM's first provider, so that JSSE's handshakes (key shares, the server's signature) and record
     * encryption use it; algorithms it lacks still come from the providers after it. Returns whether it is first.
     */
    public static synchronized boolean installFirst() {
        if (PROVIDER == null) {
            return false;
        }
        Provider[] installed = Security.getProviders();
        if (installed.length > 0 && installed[0] == PROVIDER) {
            return true;
        }
        Security.removeProvider(PROVIDER.getName());
        Security.insertProviderAt(PROVIDER, 1);
        return true;
    }

    /** For start-up logs: which provider, or why it is absent. */
    public static String describe() {
        if (PROVIDER != null) {
            return PROVIDER.getName() + " " + PROVIDER.getVersionStr() + " (AWS-LC)";
        }
        Throwable error = loadingError();
        return "no native provider" + (error == null ? "" : ": " + error);
    }

    private static Throwable loadingError() {
        try {
            return AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        } catch (LinkageError | RuntimeException e) {
            return e;
        }
    }

    private static AmazonCorrettoCryptoProvider load() {
        try {
            AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
            if (provider.getLoadingError() != null) {
                return null;
            }
            provider.assertHealthy(); // the provider's self-tests; throws if one fails
            return provider;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }
}
