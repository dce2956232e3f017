package io.estuary.renewal;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.RevocationReason;
import io.estuary.contracts.Topics;
import io.estuary.operatorauth.OperatorRoles;
import io.estuary.renewal.domain.TrackedCertificate;
import io.estuary.renewal.repository.CertificateRepository;
import io.estuary.renewal.repository.RevocationRepository;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestIssuances;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * {@code POST /revocations} on the real broker and PostgreSQL: revoke once, publish once; an unknown certificate is 404,
 * a malformed request 400 with its reason; a revoked certificate is never announced as due.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class RevocationApiTest {
    private static final String ISSUER = "CN=Test CA"; // TestIssuances' issuer
    private static KafkaTestClient kafka;

    @Inject
    CertificateRepository certificates;
    @Inject
    RevocationRepository revocations;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    @TestSecurity(user = "test-revoker", roles = OperatorRoles.REVOKER)
    void aCertificateIsRevokedAndPublishedOnceWhateverTheOperatorRepeats() {
        String device = "revoked-" + UUID.randomUUID();
        String serial = serial();
        track(device, serial, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));

        given().contentType(ContentType.JSON).body(Map.of("issuer", "cn=test ca", "serialNumber", serial.toUpperCase(),
                "reason", "keyCompromise", "invalidityDate", "2026-01-01T00:00:00Z"))
                .post("/revocations").then().statusCode(201)
                .body("revoked", hasSize(1)).body("alreadyRevoked", hasSize(0))
                .body("revoked[0].serialNumber", equalTo(serial)).body("revoked[0].issuer", equalTo(ISSUER))
                .body("revoked[0].deviceId", equalTo(device)).body("revoked[0].reason", equalTo("keyCompromise"))
                .body("revoked[0].reasonCode", equalTo(1)).body("revoked[0].revokedBy", equalTo("test-revoker"))
                .body("revoked[0].invalidityDate", equalTo("2026-01-01T00:00:00Z"));
        // Again, with another reason: the first revocation stands and nothing is published again.
        given().contentType(ContentType.JSON).body(Map.of("issuer", ISSUER, "serialNumber", serial,
                "reason", "superseded")).post("/revocations").then().statusCode(200)
                .body("revoked", hasSize(0)).body("alreadyRevoked", hasSize(1))
                .body("alreadyRevoked[0].reason", equalTo("keyCompromise"));

        List<CertificateRevoked> published = publishedFor(serial);
        assertEquals(1, published.size(), "published once: " + published);
        assertEquals(RevocationReason.KEY_COMPROMISE, published.get(0).reason());
        assertEquals(device, published.get(0).deviceId());
        assertEquals("test-revoker", published.get(0).revokedBy());
    }

    @Test
    @TestSecurity(user = "test-revoker", roles = OperatorRoles.REVOKER)
    void aDeviceLosesEveryUnexpiredCertificateSupersededOnesToo() {
        String device = "stolen-" + UUID.randomUUID();
        String expired = serial();
        String older = serial();
        String current = serial();
        Instant now = Instant.now();
        track(device, expired, now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30)));
        track(device, older, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(30)));
        track(device, current, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));

        List<String> revoked = given().contentType(ContentType.JSON)
                .body(Map.of("deviceId", device, "reason", "5")).post("/revocations").then().statusCode(201)
                .body("revoked", hasSize(2)).body("revoked[0].reason", equalTo("cessationOfOperation"))
                .extract().path("revoked.serialNumber");
        assertEquals(List.of(current, older).stream().sorted().toList(), revoked.stream().sorted().toList());
        given().contentType(ContentType.JSON).body(Map.of("deviceId", device, "reason", "5")).post("/revocations")
                .then().statusCode(200).body("revoked", hasSize(0)).body("alreadyRevoked", hasSize(2));
    }

    @Test
    @TestSecurity(user = "test-revoker", roles = OperatorRoles.REVOKER)
    void unknownCertificatesAre404AndMistakes400WithTheReason() {
        String device = "known-" + UUID.randomUUID();
        String serial = serial();
        track(device, serial, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));

        given().contentType(ContentType.JSON).body(Map.of("issuer", ISSUER, "serialNumber", serial(),
                "reason", "1")).post("/revocations").then().statusCode(404).body(containsString("no certificate"));
        given().contentType(ContentType.JSON).body(Map.of("issuer", "CN=Another CA", "serialNumber", serial,
                "reason", "1")).post("/revocations").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("deviceId", "nobody-" + UUID.randomUUID(), "reason", "1"))
                .post("/revocations").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("issuer", ISSUER, "serialNumber", serial,
                "reason", "6")).post("/revocations").then().statusCode(400)
                .body(containsString("is not a revocation reason"));
        given().contentType(ContentType.JSON).body(Map.of("issuer", ISSUER, "serialNumber", "not-hex",
                "reason", "1")).post("/revocations").then().statusCode(400).body(containsString("hexadecimal"));
        given().contentType(ContentType.JSON).body("{\"issuer\":").post("/revocations").then().statusCode(400);
        given().contentType(ContentType.JSON).body("[]").post("/revocations").then().statusCode(400);
        assertEquals(List.of(), publishedFor(serial), "nothing refused was published");
    }

    @Test
    @TestSecurity(user = "test-operator", roles = OperatorRoles.OPERATOR)
    void onlyTheRevokerRoleRevokes() {
        given().contentType(ContentType.JSON).body(Map.of("deviceId", "anyone", "reason", "1"))
                .post("/revocations").then().statusCode(403);
    }

    @Test
    void withoutATokenItIs401() {
        given().contentType(ContentType.JSON).body(Map.of("deviceId", "anyone", "reason", "1"))
                .post("/revocations").then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer"));
    }

    /**
     * A revoked certificate past its renewal point is never claimed: the scan that announced the other certificate,
     * tracked after it, saw it and left it. The revocation comes as the topic delivers it (a replay, or another
     * replica's), recorded before the certificate is tracked.
     */
    @Test
    void aRevokedCertificateIsNotAnnouncedAsDue() {
        String revokedDevice = "revoked-due-" + UUID.randomUUID();
        String otherDevice = "other-due-" + UUID.randomUUID();
        String revokedSerial = serial();
        String otherSerial = serial();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // 80% of a 50-day lifetime is 40 days: both are due now, not yet overdue.
        Instant notBefore = now.minus(Duration.ofDays(41));
        Instant notAfter = now.plus(Duration.ofDays(9));
        revocations.record(List.of(new CertificateRevoked(ISSUER, revokedSerial, revokedDevice,
                RevocationReason.KEY_COMPROMISE, null, now, "test-replay"))).await().indefinitely();
        track(revokedDevice, revokedSerial, notBefore, notAfter);
        track(otherDevice, otherSerial, notBefore, notAfter);

        await().atMost(Duration.ofSeconds(60)).until(() -> current(otherDevice).dueSentAt() != null);
        assertNull(current(revokedDevice).dueSentAt(), "the revoked certificate was not announced");
        assertNotNull(current(revokedDevice).issuer());
    }

    private TrackedCertificate current(String device) {
        return certificates.current(device).await().indefinitely();
    }

    private void track(String device, String serial, Instant notBefore, Instant notAfter) {
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.issued(device, serial, notBefore, notAfter));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> revocations.certificate(serial).await().indefinitely() != null);
    }

    /** Every record on the revocation topic for the serial, read from the start to the current end. */
    private static List<CertificateRevoked> publishedFor(String serial) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", KafkaTestClient.bootstrapServers());
        properties.put("enable.auto.commit", "false");
        List<CertificateRevoked> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REVOCATIONS, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the revocation topic was not read to its end within 60 s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    CertificateRevoked revoked = KafkaTestClient.JSON.readValue(record.value(),
                            CertificateRevoked.class);
                    if (serial.equals(revoked.serialNumber())) {
                        found.add(revoked);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private static String serial() {
        return UUID.randomUUID().toString().replace("-", "").replaceFirst("^0+", "");
    }
}
