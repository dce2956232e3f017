package io.estuary.frontend.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import jakarta.enterprise.context.ApplicationScoped;

import io.estuary.frontend.auth.AnyClientCertificateTrustManager;
import io.quarkus.tls.runtime.TrustStoreAndTrustOptions;
import io.quarkus.tls.runtime.TrustStoreProvider;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;

/**
 * The trust of the EST listener's TLS configuration ({@code quarkus.tls.est.*}, used through
 * {@code quarkus.http.tls-configuration-name=est}): the TLS registry asks this bean because the configuration names no
 * trust store. The handshake accepts any client certificate; why that is safe is written on
 * {@link AnyClientCertificateTrustManager}.
 */
@ApplicationScoped
@Identifier(EstListenerTrust.TLS_CONFIGURATION)
public class EstListenerTrust implements TrustStoreProvider {
    /** The name of the EST listener's TLS configuration in the TLS registry. */
    public static final String TLS_CONFIGURATION = "est";

    @Override
    public TrustStoreAndTrustOptions getTrustStore(Vertx vertx) {
        try {
            // No trusted certificates: trust is decided per request by ClientCertificatePolicy, not in the handshake.
            KeyStore none = KeyStore.getInstance("PKCS12");
            none.load(null, null);
            return new TrustStoreAndTrustOptions(none, TrustOptions.wrap(new AnyClientCertificateTrustManager()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the EST listener's trust", e);
        }
    }
}
