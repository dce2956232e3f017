package io.estuary.frontend.tls;

import javax.net.ssl.KeyManagerFactory;

import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;

/**
 * The listener's key material as Vert.x takes it: the one {@link ListenerKeyManager}, whatever pair it presents. On
 * OpenSSL through a factory that says the material under an alias does not change, so Netty converts each pair to
 * OpenSSL's form once, not on every handshake (resumed ones included: BoringSSL asks for the certificate before it
 * decides to resume); the key manager gives each pair its own aliases.
 */
final class ListenerKeyCertOptions implements KeyCertOptions {
    private final ListenerKeyManager keys;
    private final boolean openSsl;

    ListenerKeyCertOptions(ListenerKeyManager keys, boolean openSsl) {
        this.keys = keys;
        this.openSsl = openSsl;
    }

    /** The same key manager: a copy presents what the original does. */
    @Override
    public KeyCertOptions copy() {
        return this;
    }

    @Override
    public KeyManagerFactory getKeyManagerFactory(Vertx vertx) throws Exception {
        KeyManagerFactory factory = KeyCertOptions.wrap(keys).getKeyManagerFactory(vertx);
        return openSsl ? new OpenSslCachingX509KeyManagerFactory(factory) : factory;
    }
}
