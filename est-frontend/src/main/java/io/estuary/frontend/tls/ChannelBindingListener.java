package io.estuary.frontend.tls;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.pki.CertificateProfile;
import io.estuary.pki.EstLabels;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Where a profile links CSRs to the TLS channel, the EST listener runs on {@link BouncyCastleTlsEngine}, which can
 * tell the binding; otherwise it keeps the JDK's JSSE (with AWS-LC underneath, see {@link NativeTlsCrypto}), the
 * faster handshake.
 */
@ApplicationScoped
public class ChannelBindingListener implements HttpServerOptionsCustomizer {
    private static final Logger LOG = Logger.getLogger(ChannelBindingListener.class);

    @Inject
    EstLabels labels;

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        var linking = labels.profiles().values().stream().filter(CertificateProfile::requireChannelBinding)
                .map(CertificateProfile::name).sorted().toList();
        if (!linking.isEmpty()) {
            options.setSslEngineOptions(new BouncyCastleTlsEngine());
            LOG.infof("TLS uses Bouncy Castle's JSSE, which exports channel bindings: profiles %s link CSRs to the"
                    + " TLS channel", linking);
        }
    }
}
