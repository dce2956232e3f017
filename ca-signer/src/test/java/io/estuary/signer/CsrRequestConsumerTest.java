package io.estuary.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Inject;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.pki.policy.EstLabels;
import io.estuary.pki.token.TokenUnavailableException;
import io.estuary.signer.config.SignerConfig;
import io.estuary.signer.messaging.RequestPartitions;
import io.estuary.signer.service.AnsweredRequests;
import io.estuary.signer.service.CaChainPublisher;
import io.estuary.signer.service.RequestDecisions;
import io.estuary.signer.service.SignerMetrics;
import io.estuary.signer.service.SigningService;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;
import io.quarkus.arc.ClientProxy;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** The signer on the real broker with its CA key in a real SoftHSM2 token. */
@QuarkusTest
@QuarkusTestResource(TestTokenResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class CsrRequestConsumerTest {
    private static KafkaTestClient kafka;

    @Inject
    RequestDecisions decisions;
    @Inject
    SigningService signingService;
    @Inject
    SignerMetrics signerMetrics;
    @Inject
    AnsweredRequests answeredRequests;
    @Inject
    SignerConfig signerConfig;
    @Inject
    EstLabels labels;
    @Inject
    CaChainPublisher chainPublisher;
    @Inject
    @Identifier(RequestPartitions.NAME)
    RequestPartitions partitions;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void signsAValidRequestWithTheTokenKey() throws Exception {
        KeyPair device = TestCsrs.ecP256();
        IssuanceResult result = roundTrip(TestCsrs.csr("signer-device-1", device));
        assertEquals(IssuanceResult.Outcome.ISSUED, result.outcome());
        assertNull(result.reason());
        assertEquals("signer-device-1", result.deviceId());

        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) x509.generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(TestTokenResource.caPem)));
        X509Certificate issued = (X509Certificate) x509.generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode(result.certificate())));
        issued.verify(ca.getPublicKey());
        assertEquals(device.getPublic(), issued.getPublicKey());
        assertEquals(issued.getSerialNumber().toString(16), result.serialNumber());
        assertEquals(issued.getNotAfter().toInstant(), result.notAfter());
        assertTrue(result.notAfter().isAfter(Instant.now().plus(Duration.ofDays(29))), "30-day default validity");
    }

    @Test
    void rejectsARequestWhoseSignatureDoesNotVerify() {
        IssuanceResult result = roundTrip(TestCsrs.csrWithForeignSignature("signer-device-2"));
        assertEquals(IssuanceResult.Outcome.REJECTED, result.outcome());
        assertEquals("the CSR's signature does not verify with its public key", result.reason());
        assertNull(result.certificate());
    }

    @Test
    void rejectsGarbageAndKeepsServingAfterAnUnreadableEvent() {
        kafka.send(Topics.CSR_REQUESTS, "someone", "{ this is not json");
        IssuanceResult garbage = roundTrip("not a csr".getBytes());
        assertEquals(IssuanceResult.Outcome.REJECTED, garbage.outcome());
        IssuanceResult next = roundTrip(TestCsrs.csr("signer-device-3", TestCsrs.ecP256()));
        assertEquals(IssuanceResult.Outcome.ISSUED, next.outcome());
    }

    /**
     * A signer whose signing of chosen request ids fails: with a plain fault (as a certificate that cannot be assembled
     * would), or as an unavailable token a number of times first. Vetoed: not a second SigningService bean.
     */
    @Vetoed
    static final class FailingSigning extends SigningService {
        final Set<String> faulty = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> tokenFailuresLeft = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        FailingSigning(SignerConfig config, EstLabels labels, CaChainPublisher chainPublisher,
                SignerMetrics metrics) {
            super(config, labels, chainPublisher, metrics);
        }

        @Override
        public IssuanceResult sign(CsrSubmitted request) {
            attempts.computeIfAbsent(request.requestId(), id -> new AtomicInteger()).incrementAndGet();
            if (faulty.contains(request.requestId())) {
                throw new IllegalStateException("cannot assemble certificate (simulated by the test)");
            }
            AtomicInteger tokenFailures = tokenFailuresLeft.get(request.requestId());
            if (tokenFailures != null && tokenFailures.getAndDecrement() > 0) {
                throw new TokenUnavailableException("the token was removed (simulated by the test)");
            }
            return super.sign(request);
        }

        int attemptsAt(String requestId) {
            AtomicInteger count = attempts.get(requestId);
            return count == null ? 0 : count.get();
        }
    }

    private FailingSigning failingSigning() {
        FailingSigning signing = new FailingSigning(signerConfig, labels, chainPublisher, signerMetrics);
        QuarkusMock.installMockForType(signing, SigningService.class);
        return signing;
    }

    /**
     * A plain fault in signing (not the token's) follows from the request: answered FAILED at once, without waiting,
     * and remembered, so a retry gets the same answer without a second attempt; the channel keeps signing.
     */
    @Test
    void aFaultInSigningIsAnsweredAsFailedAtOnceAndARetryGetsTheSameAnswer() {
        FailingSigning signing = failingSigning();
        String requestId = UUID.randomUUID().toString();
        signing.faulty.add(requestId);
        byte[] csr = TestCsrs.csr("signer-device-plain-fault", TestCsrs.ecP256());
        IssuanceResult failed = roundTrip(requestId, "", csr);
        assertEquals(IssuanceResult.Outcome.FAILED, failed.outcome());
        assertTrue(failed.deterministic(), "a fault in signing fails the same request again");
        assertTrue(failed.reason().contains("internal error"), failed.reason());
        assertNull(failed.certificate());
        assertEquals(1, signing.attemptsAt(requestId), "not retried as if the token were away");
        assertEquals(IssuanceResult.Outcome.ISSUED, roundTrip(TestCsrs.csr("signer-device-after-plain-fault",
                TestCsrs.ecP256())).outcome(), "the channel still signs");

        IssuanceResult retried = roundTrip(requestId, "", csr);
        assertEquals(failed, retried, "a retry gets the same answer");
        assertEquals(1, signing.attemptsAt(requestId), "without a second signing attempt");
    }

    /** While the token is unavailable a request waits for it (it is not failed), and is then signed. */
    @Test
    void aRequestWaitsWhileTheTokenIsUnavailableAndIsThenSigned() {
        FailingSigning signing = failingSigning();
        String requestId = UUID.randomUUID().toString();
        signing.tokenFailuresLeft.put(requestId, new AtomicInteger(2));
        IssuanceResult result = roundTrip(requestId, "", TestCsrs.csr("signer-device-token-away",
                TestCsrs.ecP256()));
        assertEquals(IssuanceResult.Outcome.ISSUED, result.outcome(), result.reason());
        assertEquals(3, signing.attemptsAt(requestId), "two attempts while the token was away, then the signature");
    }

    /**
     * A request waiting for the token when its partition is handed over stops waiting and is left to the new owner,
     * which may sign it as soon as its own token answers: nothing is signed or published here, and the handover does
     * not wait out its bound for it.
     */
    @Test
    void aRequestWaitingForTheTokenWhenItsPartitionIsHandedOverIsLeftToTheNewOwner() throws Exception {
        FailingSigning signing = failingSigning();
        String requestId = UUID.randomUUID().toString();
        signing.tokenFailuresLeft.put(requestId, new AtomicInteger(Integer.MAX_VALUE));
        List<TopicPartition> all = java.util.stream.IntStream.range(0, 4)
                .mapToObj(p -> new TopicPartition(Topics.CSR_REQUESTS, p)).toList();
        try (KafkaTestClient.Tail results = kafka.tail(Topics.ISSUANCE_RESULTS)) {
            kafka.send(Topics.CSR_REQUESTS, "signer-test", new CsrSubmitted(requestId, "signer-test", "",
                    "simpleenroll", Base64.getEncoder().encodeToString(TestCsrs.csr("signer-device-handed-over",
                            TestCsrs.ecP256())), Instant.now()));
            Instant deadline = Instant.now().plusSeconds(30);
            while (signing.attemptsAt(requestId) < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertTrue(signing.attemptsAt(requestId) >= 2, "the request waits for the token");
            Instant revoked = Instant.now();
            try {
                partitions.onPartitionsRevoked(null, all);
                assertTrue(Duration.between(revoked, Instant.now()).compareTo(Duration.ofSeconds(50)) < 0,
                        "the handover waited until the request gave up, not its 60 s bound");
                int attempts = signing.attemptsAt(requestId);
                assertThrows(AssertionError.class, () -> results.await(IssuanceResult.class,
                        r -> requestId.equals(r.requestId()), Duration.ofSeconds(3)), "nothing is published");
                assertEquals(attempts, signing.attemptsAt(requestId), "the request no longer waits for the token");
            } finally {
                partitions.onPartitionsAssigned(null, all);
            }
        }
        assertEquals(IssuanceResult.Outcome.ISSUED, roundTrip(TestCsrs.csr("signer-device-after-handover",
                TestCsrs.ecP256())).outcome(), "the channel still signs");
    }

    /**
     * A failure outside signing (here: raised in the decision's bookkeeping for one request id) is answered as FAILED
     * at once, the channel keeps signing, and a retry of the failed request is signed anew: such a failure is not
     * remembered.
     */
    @Test
    void aFailureOutsideSigningIsAnsweredAsFailedAndARetryIsSignedAnew() {
        String requestId = UUID.randomUUID().toString();
        AtomicBoolean failing = new AtomicBoolean(true);
        RequestDecisions real = ClientProxy.unwrap(decisions);
        QuarkusMock.installMockForType(new RequestDecisions(signingService, answeredRequests, signerMetrics) {
            @Override
            public Decision decideOnce(String id, Supplier<IssuanceResult> decide) {
                return real.decideOnce(id, () -> {
                    if (failing.get() && id.equals(requestId)) {
                        throw new ArrayIndexOutOfBoundsException("simulated by the test");
                    }
                    return decide.get();
                });
            }
        }, RequestDecisions.class);
        byte[] csr = TestCsrs.csr("signer-device-fault", TestCsrs.ecP256());
        IssuanceResult failed = roundTrip(requestId, "", csr);
        assertEquals(IssuanceResult.Outcome.FAILED, failed.outcome());
        assertFalse(failed.deterministic());
        assertTrue(failed.reason().contains("internal error"), failed.reason());
        assertNull(failed.certificate());
        assertEquals(IssuanceResult.Outcome.ISSUED, roundTrip(TestCsrs.csr("signer-device-after-fault",
                TestCsrs.ecP256())).outcome(), "the channel still signs");
        failing.set(false);
        IssuanceResult retried = roundTrip(requestId, "", csr);
        assertEquals(IssuanceResult.Outcome.ISSUED, retried.outcome());
        assertEquals(retried.serialNumber(), roundTrip(requestId, "", csr).serialNumber(), "and that is decided");
    }

    @Test
    void aRequestSeenTwiceIsSignedOnce() {
        String requestId = UUID.randomUUID().toString();
        byte[] csr = TestCsrs.csr("signer-device-4", TestCsrs.ecP256());
        IssuanceResult first = roundTrip(requestId, "", csr);
        IssuanceResult again = roundTrip(requestId, "", csr);
        assertEquals(IssuanceResult.Outcome.ISSUED, again.outcome());
        assertEquals(first.serialNumber(), again.serialNumber());
        assertEquals(first.certificate(), again.certificate());
    }

    @Test
    void duplicatesArrivingTogetherAreSignedOnce() {
        // Requests are signed concurrently: copies of one request in the same poll must still get one certificate.
        String requestId = UUID.randomUUID().toString();
        CsrSubmitted request = new CsrSubmitted(requestId, "signer-test", "", "simpleenroll",
                Base64.getEncoder().encodeToString(TestCsrs.csr("signer-device-8", TestCsrs.ecP256())), Instant.now());
        try (KafkaTestClient.Tail results = kafka.tail(Topics.ISSUANCE_RESULTS)) {
            for (int i = 0; i < 6; i++) {
                kafka.sendAsync(Topics.CSR_REQUESTS, "signer-test", request);
            }
            kafka.flush();
            java.util.Set<String> serials = new java.util.HashSet<>();
            for (IssuanceResult answer : results.await(IssuanceResult.class, r -> requestId.equals(r.requestId()), 6,
                    Duration.ofSeconds(30))) {
                assertEquals(IssuanceResult.Outcome.ISSUED, answer.outcome(), answer.reason());
                serials.add(answer.serialNumber());
            }
            assertEquals(1, serials.size(), "one certificate for six copies: " + serials);
        }
    }

    /**
     * Another signer answered a request just before this one took its partition over: the request, redelivered here,
     * gets that answer and is not signed again, although this signer's reader of answers, which fetches in batches,
     * has not read it yet when the request arrives. Five rounds: the reader is behind in most of them.
     */
    @Test
    void aRequestAnsweredByAnotherSignerJustBeforeATakeoverIsNotSignedAgain() {
        for (int round = 0; round < 5; round++) {
            String requestId = UUID.randomUUID().toString();
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            String serial = UUID.randomUUID().toString().replace("-", "");
            IssuanceResult byAnother = new IssuanceResult(requestId, "signer-test", "", IssuanceResult.Outcome.ISSUED,
                    null, "takeover-" + serial, "CN=takeover-" + serial, serial, "CN=Estuary Device CA", now,
                    now.plusSeconds(3600), "MIIBanswered-by-another-signer", now);
            try (KafkaTestClient.Tail results = kafka.tail(Topics.ISSUANCE_RESULTS)) {
                kafka.send(Topics.ISSUANCE_RESULTS, "signer-test", byAnother);
                partitions.onPartitionsAssigned(null, List.of(new TopicPartition(Topics.CSR_REQUESTS, 0)));
                kafka.send(Topics.CSR_REQUESTS, "signer-test", new CsrSubmitted(requestId, "signer-test", "",
                        "simpleenroll", Base64.getEncoder().encodeToString(TestCsrs.csr("takeover-" + round,
                                TestCsrs.ecP256())), Instant.now()));
                List<IssuanceResult> answers = results.await(IssuanceResult.class,
                        r -> requestId.equals(r.requestId()), 2, Duration.ofSeconds(30));
                assertEquals(serial, answers.get(1).serialNumber(), "round " + round + ": answered again, not signed");
            }
        }
    }

    @Test
    void theLabelChoosesTheProfile() throws Exception {
        IssuanceResult edge = roundTrip(UUID.randomUUID().toString(), "edge-ca",
                TestCsrs.edgeCaCsr("aziot-edge CA signer-device-5", TestCsrs.rsa(2048)));
        assertEquals(IssuanceResult.Outcome.ISSUED, edge.outcome(), edge.reason());
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode(edge.certificate())));
        assertEquals(0, cert.getBasicConstraints());
        IssuanceResult refused = roundTrip(UUID.randomUUID().toString(), "",
                TestCsrs.edgeCaCsr("aziot-edge CA signer-device-6", TestCsrs.rsa(2048)));
        assertEquals(IssuanceResult.Outcome.REJECTED, refused.outcome());
        IssuanceResult unknown = roundTrip(UUID.randomUUID().toString(), "nowhere",
                TestCsrs.csr("signer-device-7", TestCsrs.ecP256()));
        assertEquals("unknown label 'nowhere'", unknown.reason());
    }

    private static IssuanceResult roundTrip(byte[] csr) {
        return roundTrip(UUID.randomUUID().toString(), "", csr);
    }

    private static IssuanceResult roundTrip(String requestId, String label, byte[] csr) {
        try (KafkaTestClient.Tail results = kafka.tail(Topics.ISSUANCE_RESULTS)) {
            kafka.send(Topics.CSR_REQUESTS, "signer-test", new CsrSubmitted(requestId, "signer-test", label,
                    "simpleenroll", Base64.getEncoder().encodeToString(csr), Instant.now()));
            return results.await(IssuanceResult.class, r -> requestId.equals(r.requestId()), Duration.ofSeconds(30));
        }
    }
}
