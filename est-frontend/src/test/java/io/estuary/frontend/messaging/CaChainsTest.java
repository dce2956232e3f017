package io.estuary.frontend.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.CaChainPublished;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.TopicFollower;
import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.wire.CertsOnly;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;

/** The chain reader alone, on Kafka's MockConsumer: a failure starts it again instead of stopping it for good. */
class CaChainsTest {
    private static final TopicPartition PARTITION = new TopicPartition(Topics.CA_CHAINS, 0);

    /** A MockConsumer whose empty polls pause, as a real poll waits, instead of spinning. */
    static final class PacedConsumer extends MockConsumer<byte[], byte[]> {
        PacedConsumer() {
            super("earliest");
            updatePartitions(Topics.CA_CHAINS, List.of(new PartitionInfo(Topics.CA_CHAINS, 0, Node.noNode(),
                    new Node[0], new Node[0])));
            updateBeginningOffsets(Map.of(PARTITION, 0L));
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }

    @Test
    void aReaderWhosePollFailsStartsAgainAndReadsTheChains() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate root = CertificateAuthority.selfSignedRoot(new X500Name("CN=Chain Reader Test CA"),
                key.getPublic(), key.getPrivate(), new BouncyCastleProvider(), Duration.ofDays(10), Instant.now());
        byte[] published = KafkaTestClient.JSON.writeValueAsBytes(new CaChainPublished("estuary-ca",
                List.of(Base64.getEncoder().encodeToString(root.getEncoded())), Instant.now()));

        List<PacedConsumer> created = new CopyOnWriteArrayList<>();
        CaChains chains = new CaChains(KafkaTestClient.JSON);
        TopicFollower follower = new TopicFollower("ca-chain-reader", () -> {
            PacedConsumer consumer = new PacedConsumer();
            if (created.isEmpty()) {
                consumer.setPollException(new KafkaException("the broker went away (simulated by the test)"));
            } else {
                consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(Topics.CA_CHAINS, 0, 0L,
                        "estuary-ca".getBytes(), published)));
            }
            created.add(consumer);
            return consumer;
        }, CaChains.SUBSCRIPTION, chains, Duration.ofMillis(500), Duration.ofSeconds(30));
        follower.start();
        try {
            Instant deadline = Instant.now().plusSeconds(60);
            while (!chains.knows("estuary-ca") && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertTrue(chains.knows("estuary-ca"), "the reader started again after its poll failed");
            assertEquals(2, created.size(), "one failed reader, one that reads");
            assertTrue(created.get(0).closed(), "the failed consumer was closed");
            assertArrayEquals(CertsOnly.encode(List.of(root)), chains.certsOnly("estuary-ca").orElseThrow());
        } finally {
            follower.close();
        }
    }
}
