package io.estuary.frontend.messaging;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CaChainPublished;
import io.estuary.contracts.Topics;
import io.estuary.frontend.domain.HeldChain;
import io.estuary.frontend.service.CaChainSource;
import io.estuary.kafka.follower.Assignment;
import io.estuary.kafka.follower.RecordHandler;
import io.estuary.kafka.follower.Start;
import io.estuary.kafka.follower.Subscription;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.pki.wire.CertsOnly;
import io.quarkus.runtime.StartupEvent;

/**
 * The CA chains the signer publishes, read from the start of the compacted topic and followed: {@code /cacerts}
 * serves the latest chain of the CA a label's profile names, and follows a rotation without a restart. Its follower
 * starts again from the start of the topic after a failure, serving the chains held meanwhile: it never stops for
 * good.
 */
@ApplicationScoped
public class CaChains implements CaChainSource, RecordHandler {
    private static final Logger LOG = Logger.getLogger(CaChains.class);
    static final Subscription SUBSCRIPTION = new Subscription(Topics.CA_CHAINS, Start.beginning());

    @Inject
    TopicFollowers followers;
    @Inject
    ObjectMapper objectMapper;

    private final Map<String, byte[]> certsOnlyByAlias = new ConcurrentHashMap<>();
    private final Map<String, HeldChain> chainByAlias = new ConcurrentHashMap<>();

    public CaChains() {
    }

    /** For tests: a handler to feed from a follower of their own. */
    CaChains(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    void start(@Observes StartupEvent event) {
        followers.follow("ca-chain-reader", SUBSCRIPTION, this);
    }

    @Override
    public Optional<byte[]> certsOnly(String alias) {
        return Optional.ofNullable(certsOnlyByAlias.get(alias)).map(byte[]::clone);
    }

    @Override
    public java.util.Collection<X509Certificate> signingCertificates() {
        return chainByAlias.values().stream().map(held -> held.chain().get(0)).toList();
    }

    @Override
    public Map<String, HeldChain> chains() {
        return Map.copyOf(chainByAlias);
    }

    @Override
    public boolean knows(String alias) {
        return certsOnlyByAlias.containsKey(alias);
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records, Assignment assignment) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handle(record);
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            CaChainPublished published = objectMapper.readValue(record.value(), CaChainPublished.class);
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new java.util.ArrayList<>();
            for (String der : published.chain()) {
                chain.add((X509Certificate) x509.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(der))));
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("empty chain");
            }
            certsOnlyByAlias.put(published.alias(), CertsOnly.encode(chain));
            chainByAlias.put(published.alias(), new HeldChain(published.alias(), chain, published.publishedAt()));
            LOG.infof("CA '%s': %s", published.alias(), chain.get(0).getSubjectX500Principal());
        } catch (java.io.IOException | CertificateException | RuntimeException e) {
            LOG.warnf("skipped an unreadable CA chain record at offset %d", record.offset());
        }
    }
}
