package io.estuary.frontend.tls;

import java.util.function.Function;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;

/**
 * The listener's key and certificate chain, handed to OpenSSL once per TLS context instead of once per handshake.
 * Netty converts a key manager's key and chain to OpenSSL's form on every handshake, resumed ones included (BoringSSL
 * asks for the certificate before it decides to resume), unless the factory is one that says the material does not
 * change. The listener's does not change under a running context: a reloaded certificate gets a new context.
 */
final class CachedKeyMaterial implements KeyCertOptions {
    private final KeyCertOptions source;

    CachedKeyMaterial(KeyCertOptions source) {
        this.source = source;
    }

    @Override
    public KeyCertOptions copy() {
        return new CachedKeyMaterial(source.copy());
    }

    @Override
    public KeyManagerFactory getKeyManagerFactory(Vertx vertx) throws Exception {
        return new OpenSslCachingX509KeyManagerFactory(source.getKeyManagerFactory(vertx));
    }

    @Override
    @SuppressWarnings("deprecation")
    public Function<String, X509KeyManager> keyManagerMapper(Vertx vertx) throws Exception {
        return source.keyManagerMapper(vertx);
    }

    @Override
    public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) throws Exception {
        return source.keyManagerFactoryMapper(vertx);
    }

    // Vert.x compares options to share a TLS context; two copies of the same key pair are the same options.
    @Override
    public boolean equals(Object other) {
        return other instanceof CachedKeyMaterial cached && source.equals(cached.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
