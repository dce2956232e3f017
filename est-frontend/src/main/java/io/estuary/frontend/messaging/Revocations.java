package io.estuary.frontend.messaging;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.x500.X500Principal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.Topics;
import io.estuary.frontend.service.RevocationSource;
import io.estuary.kafka.follower.EventReader;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.quarkus.runtime.StartupEvent;

/**
 * Every revocation, read from the start of the compacted revocation topic and followed, on every instance: a revoked
 * certificate is refused within a poll of its publication, with no restart. Held in memory by issuer (compared as a
 * name) and serial number; a follower that fails starts again from the start of the topic, refusing meanwhile what it
 * held.
 */
@ApplicationScoped
public class Revocations implements RevocationSource {
    private static final Logger LOG = Logger.getLogger(Revocations.class);

    @Inject
    TopicFollowers followers;

    private final Map<String, CertificateRevoked> byCertificate = new ConcurrentHashMap<>();
    private final EventReader reader;

    @Inject
    public Revocations(ObjectMapper objectMapper) {
        reader = new EventReader(objectMapper, () -> LOG.infof("%d revoked certificates known",
                byCertificate.size())).on(Topics.REVOCATIONS, CertificateRevoked.class, this::revoked);
    }

    void start(@Observes StartupEvent event) {
        followers.follow("revocation-reader", reader.subscription(), reader);
    }

    /** What the follower reads the revocation topic with (a test's follower of its own too). */
    EventReader reader() {
        return reader;
    }

    @Override
    public Optional<CertificateRevoked> revocationOf(X509Certificate certificate) {
        if (byCertificate.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byCertificate.get(key(certificate.getIssuerX500Principal(),
                certificate.getSerialNumber())));
    }

    @Override
    public boolean caughtUp() {
        return reader.caughtUp();
    }

    private void revoked(CertificateRevoked revoked) {
        if (byCertificate.putIfAbsent(key(new X500Principal(revoked.issuer()),
                new BigInteger(revoked.serialNumber(), 16)), revoked) == null && reader.caughtUp()) {
            LOG.infof("certificate %s of '%s' revoked: %s", revoked.serialNumber(), revoked.issuer(),
                    revoked.reason().rfcName());
        }
    }

    /** The issuer in canonical form (RFC 2253 names that differ in case or spacing only are the same name). */
    static String key(X500Principal issuer, BigInteger serial) {
        return serial.toString(16) + "@" + issuer.getName(X500Principal.CANONICAL);
    }
}
