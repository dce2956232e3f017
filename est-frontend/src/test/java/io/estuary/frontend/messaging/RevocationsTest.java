package io.estuary.frontend.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.RevocationReason;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.TopicFollower;
import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;

/** The revocation reader alone, on Kafka's MockConsumer. */
class RevocationsTest {
    private static final TopicPartition PARTITION = new TopicPartition(Topics.REVOCATIONS, 0);

    @Test
    void aCertificateIsRevokedOnceItsRecordIsReadWhateverTheIssuersSpelling() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate certificate = CertificateAuthority.selfSignedRoot(new X500Name("CN=Revocation Test CA,O=Est"),
                key.getPublic(), key.getPrivate(), new BouncyCastleProvider(), Duration.ofDays(10), Instant.now());
        X509Certificate other = CertificateAuthority.selfSignedRoot(new X500Name("CN=Revocation Test CA,O=Est"),
                key.getPublic(), key.getPrivate(), new BouncyCastleProvider(), Duration.ofDays(10), Instant.now());
        String serial = certificate.getSerialNumber().toString(16);
        // The issuer as an operator might type it: other case, other spacing; the same name.
        String spelled = certificate.getIssuerX500Principal().getName().toLowerCase().replace(",", ", ");
        CertificateRevoked revoked = new CertificateRevoked(spelled, serial, "d",
                RevocationReason.KEY_COMPROMISE, null, Instant.parse("2026-01-01T00:00:00Z"), "op");
        byte[] record = KafkaTestClient.JSON.writeValueAsBytes(revoked);
        byte[] unreadable = "{\"issuer\":\"not a name\",\"serialNumber\":\"zz\"}".getBytes();

        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(Topics.REVOCATIONS, List.of(new PartitionInfo(Topics.REVOCATIONS, 0,
                Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, 2L));
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>(Topics.REVOCATIONS, 0, 0L, "k".getBytes(), unreadable));
            consumer.addRecord(new ConsumerRecord<>(Topics.REVOCATIONS, 0, 1L, revoked.key().getBytes(),
                    record));
        });
        Revocations revocations = new Revocations(KafkaTestClient.JSON);
        assertTrue(revocations.revocationOf(certificate).isEmpty());
        assertFalse(revocations.caughtUp());
        TopicFollower follower = new TopicFollower("revocation-reader", () -> consumer,
                revocations.reader().subscription(), revocations.reader(), Duration.ofMillis(500), Duration.ofSeconds(30));
        follower.start();
        try {
            Instant deadline = Instant.now().plusSeconds(60);
            while (!revocations.caughtUp() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertTrue(revocations.caughtUp(), "read up to the end offsets of its start");
            assertEquals(revoked, revocations.revocationOf(certificate).orElseThrow());
            assertTrue(revocations.revocationOf(other).isEmpty(), "another serial of the same issuer is not revoked");
        } finally {
            follower.close();
        }
        assertEquals(Revocations.key(certificate.getIssuerX500Principal(), new BigInteger(serial, 16)),
                Revocations.key(new javax.security.auth.x500.X500Principal(spelled),
                        certificate.getSerialNumber()));
    }
}
