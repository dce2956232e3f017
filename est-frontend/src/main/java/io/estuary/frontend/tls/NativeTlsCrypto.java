package io.estuary.frontend.tls;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.frontend.config.FrontendConfig;
import io.estuary.pki.token.NativeCrypto;
import io.quarkus.runtime.StartupEvent;

/**
 * Puts the native provider first before clients connect: JSSE picks a provider for each handshake's key share,
 * signature and cipher when it needs one, so every connection from then on uses AWS-LC. Devices that open a new TLS
 * connection for each enrollment (as aziot-certd does) make the handshake the larger part of an enrollment's cost.
 */
@ApplicationScoped
public class NativeTlsCrypto {
    private static final Logger LOG = Logger.getLogger(NativeTlsCrypto.class);

    @Inject
    FrontendConfig config;

    void install(@Observes @Priority(1) StartupEvent event) {
        if (!config.nativeTlsCrypto()) {
            LOG.info("TLS uses the JDK's providers (estuary.frontend.native-tls-crypto=false)");
        } else if (NativeCrypto.installFirst()) {
            LOG.infof("TLS uses %s", NativeCrypto.describe());
        } else {
            LOG.warnf("TLS uses the JDK's providers: %s", NativeCrypto.describe());
        }
    }
}
