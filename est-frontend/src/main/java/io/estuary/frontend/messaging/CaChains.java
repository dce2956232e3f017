package io.estuary.frontend.messaging;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CaChainPublished;
import io.estuary.contracts.Topics;
import io.estuary.pki.CertsOnly;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The CA chains the signer publishes, read from the start of the compacted topic and followed: {@code /cacerts}
 * serves the latest chain of the CA a label's profile names, and follows a rotation without a restart.
 */
@ApplicationScoped
public class CaChains {
    private static final Logger LOG = Logger.getLogger(CaChains.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    ObjectMapper objectMapper;

    private final Map<String, byte[]> certsOnlyByAlias = new ConcurrentHashMap<>();
    private final Map<String, HeldChain> chainByAlias = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    void start(@Observes StartupEvent event) {
        Thread thread = new Thread(this::run, "ca-chain-reader");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** The chain of a CA as certs-only DER, once the signer has published it. */
    public Optional<byte[]> certsOnly(String alias) {
        return Optional.ofNullable(certsOnlyByAlias.get(alias)).map(byte[]::clone);
    }

    /** The certificates of the CAs Estuary signs with (each chain's first). */
    public java.util.Collection<X509Certificate> signingCertificates() {
        return chainByAlias.values().stream().map(held -> held.chain().get(0)).toList();
    }

    /** Every chain received so far, by CA alias. */
    public Map<String, HeldChain> chains() {
        return Map.copyOf(chainByAlias);
    }

    /**
     * A CA's chain as the signer last published it.
     *
     * @param chain       the CA's certificate first, then its issuers
     * @param publishedAt when the signer published it
     */
    public record HeldChain(String alias, List<X509Certificate> chain, java.time.Instant publishedAt) {
        public HeldChain {
            chain = List.copyOf(chain);
        }
    }

    public boolean knows(String alias) {
        return certsOnlyByAlias.containsKey(alias);
    }

    private void run() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                try {
                    partitions = kafka.partitionsFor(Topics.CA_CHAINS, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    LOG.warnf("topic %s not reachable yet", Topics.CA_CHAINS);
                }
            }
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("CA chain reader stopped", e);
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
