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

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.Topics;
import io.estuary.frontend.service.RevocationSource;
import io.estuary.kafka.follower.Assignment;
import io.estuary.kafka.follower.RecordHandler;
import io.estuary.kafka.follower.Start;
import io.estuary.kafka.follower.Subscription;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.quarkus.runtime.StartupEvent;

/**
 * Every revocation, read from the start of the compacted revocation topic and followed, on every instance: a revoked
 * certificate is refused within a poll of its publication, with no restart. Held in memory by issuer (compared as a
 * name) and serial number; a follower that fails starts again from the start of the topic, refusing meanwhile what it
 * held.
 */
@ApplicationScoped
public class Revocations implements RevocationSource, RecordHandler {
    private static final Logger LOG = Logger.getLogger(Revocations.class);
    static final Subscription SUBSCRIPTION = new Subscription(Topics.REVOCATIONS, Start.beginning());

    @Inject
    TopicFollowers followers;
    @Inject
    ObjectMapper objectMapper;

    private final Map<String, CertificateRevoked> byCertificate = new ConcurrentHashMap<>();
    /** The end offsets at the first start: read up to them, this instance knows every earlier revocation. */
    private volatile Map<TopicPartition, Long> startEnds;
    private volatile boolean caughtUp;

    public Revocations() {
    }

    /** For tests: a handler to feed from a follower of their own. */
    Revocations(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    void start(@Observes StartupEvent event) {
        followers.follow("revocation-reader", SUBSCRIPTION, this);
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
        return caughtUp;
    }

    @Override
    public void started(Assignment assignment) {
        if (startEnds == null) {
            startEnds = assignment.endOffsets();
        }
        checkCaughtUp(assignment);
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records, Assignment assignment) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handle(record);
        }
        checkCaughtUp(assignment);
    }

    private void checkCaughtUp(Assignment assignment) {
        if (!caughtUp && startEnds.entrySet().stream()
                .allMatch(end -> assignment.position(end.getKey()) >= end.getValue())) {
            caughtUp = true;
            LOG.infof("%d revoked certificates known", byCertificate.size());
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            CertificateRevoked revoked = objectMapper.readValue(record.value(), CertificateRevoked.class);
            if (byCertificate.putIfAbsent(key(new X500Principal(revoked.issuer()),
                    new BigInteger(revoked.serialNumber(), 16)), revoked) == null && caughtUp) {
                LOG.infof("certificate %s of '%s' revoked: %s", revoked.serialNumber(), revoked.issuer(),
                        revoked.reason().rfcName());
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("skipped an unreadable revocation record at offset %d", record.offset());
        }
    }

    /** The issuer in canonical form (RFC 2253 names that differ in case or spacing only are the same name). */
    static String key(X500Principal issuer, BigInteger serial) {
        return serial.toString(16) + "@" + issuer.getName(X500Principal.CANONICAL);
    }
}
