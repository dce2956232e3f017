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
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
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
import io.estuary.frontend.domain.HeldChain;
import io.estuary.frontend.service.CaChainSource;
import io.estuary.pki.wire.CertsOnly;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The CA chains the signer publishes, read from the start of the compacted topic and followed: {@code /cacerts}
 * serves the latest chain of the CA a label's profile names, and follows a rotation without a restart. A reader that
 * fails (the broker refused it, a poll threw) starts again from the start of the topic after a pause, 500 ms doubling
 * up to 30 s, serving the chains it holds meanwhile: it never stops for good.
 */
@ApplicationScoped
public class CaChains implements CaChainSource {
    private static final Logger LOG = Logger.getLogger(CaChains.class);

    private static final long FIRST_RESTART_MILLIS = 500;
    private static final long MAX_RESTART_MILLIS = 30_000;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    ObjectMapper objectMapper;

    private final Map<String, byte[]> certsOnlyByAlias = new ConcurrentHashMap<>();
    private final Map<String, HeldChain> chainByAlias = new ConcurrentHashMap<>();
    private Supplier<Consumer<byte[], byte[]>> consumers = this::newKafkaConsumer;
    private volatile boolean running = true;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile Thread thread;

    public CaChains() {
    }

    /** For tests: reads through the consumers given, a new one for each start of the reader. */
    CaChains(Supplier<Consumer<byte[], byte[]>> consumers, ObjectMapper objectMapper) {
        this.consumers = consumers;
        this.objectMapper = objectMapper;
    }

    void start(@Observes StartupEvent event) {
        Thread reader = new Thread(this::run, "ca-chain-reader");
        reader.setDaemon(true);
        thread = reader;
        reader.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread reader = thread;
        if (reader != null) {
            reader.interrupt(); // if it waits to start again
        }
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

    private Consumer<byte[], byte[]> newKafkaConsumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void run() {
        long pauseMillis = FIRST_RESTART_MILLIS;
        while (running) {
            try (Consumer<byte[], byte[]> kafka = consumers.get()) {
                consumer = kafka;
                if (!running) {
                    return; // stopped before this consumer could be woken
                }
                List<TopicPartition> partitions = partitions(kafka);
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions);
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                        handle(record);
                    }
                    pauseMillis = FIRST_RESTART_MILLIS; // reading again
                }
            } catch (WakeupException e) {
                return; // closing
            } catch (RuntimeException e) {
                if (!running) {
                    return; // closing
                }
                LOG.errorf(e, "CA chain reader failed; starting it again in %d ms", pauseMillis);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                return; // closing
            }
            pauseMillis = Math.min(pauseMillis * 2, MAX_RESTART_MILLIS);
        }
    }

    private List<TopicPartition> partitions(Consumer<byte[], byte[]> kafka) {
        while (running) {
            try {
                List<org.apache.kafka.common.PartitionInfo> infos = kafka.partitionsFor(Topics.CA_CHAINS,
                        Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                LOG.warnf("topic %s does not exist yet", Topics.CA_CHAINS);
                Thread.sleep(1000);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("topic %s not reachable yet", Topics.CA_CHAINS);
            } catch (InterruptedException e) {
                break; // closing
            }
        }
        throw new WakeupException();
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
