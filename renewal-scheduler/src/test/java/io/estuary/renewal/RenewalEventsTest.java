package io.estuary.renewal;

import static io.estuary.contracts.RenewalStatusChanged.Status.DUE;
import static io.estuary.contracts.RenewalStatusChanged.Status.EXPIRED;
import static io.estuary.contracts.RenewalStatusChanged.Status.OVERDUE;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.RenewalStatusChanged;
import io.estuary.contracts.RenewalStatusChanged.Status;
import io.estuary.contracts.Topics;
import io.estuary.operatorauth.OperatorRoles;
import io.estuary.renewal.repository.CertificateRepository;
import io.estuary.renewal.service.RenewalEventPublisher;
import io.estuary.renewal.service.RenewalScanner;
import io.estuary.renewal.service.RenewalTracker;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestIssuances;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/**
 * Renewal events on the real broker and PostgreSQL, with certificates living seconds (test profile: scan every 1 s,
 * grace 4 s). Besides the application's own scheduled scanner, the tests run further scanners against the same
 * database at the same time, as other replicas would.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WebhookReceiver.class)
@TestSecurity(user = "test-operator", roles = OperatorRoles.OPERATOR)
class RenewalEventsTest {
    private static KafkaTestClient kafka;
    private static RenewalEventRecorder recorder;

    @Inject
    CertificateRepository repository;
    @Inject
    RenewalEventPublisher publisher;
    @Inject
    RenewalTracker tracker;
    @Inject
    Clock clock;
    @ConfigProperty(name = "estuary.renewal.webhook.url")
    String webhookUrl;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
        recorder = new RenewalEventRecorder();
    }

    @AfterAll
    static void close() throws InterruptedException {
        recorder.close();
        kafka.close();
    }

    @Test
    void aDeviceThatRenewsIsDueOnlyAndOneThatDoesNotBecomesOverdueThenExpired() throws Exception {
        String renewer = "renewer-" + UUID.randomUUID();
        String lapsed = "lapsed-" + UUID.randomUUID();
        String firstSerial = serial();
        String renewedSerial = serial();
        String lapsedSerial = serial();
        // Certificates carry whole seconds; PostgreSQL keeps microseconds.
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        // 50 s lifetime, 40 s gone: the 80% renewal point is now, overdue 4 s later, expiry 10 s later.
        Instant notBefore = now.minusSeconds(40);
        Instant notAfter = now.plusSeconds(10);

        try (SecondReplica replica = new SecondReplica()) {
            kafka.send(Topics.ISSUANCE_RESULTS, renewer, TestIssuances.issued(renewer, firstSerial, notBefore, notAfter));
            kafka.send(Topics.ISSUANCE_RESULTS, lapsed, TestIssuances.issued(lapsed, lapsedSerial, notBefore, notAfter));

            await().atMost(Duration.ofSeconds(15)).until(() -> recorder.statusesOf(firstSerial).contains(DUE)
                    && recorder.statusesOf(lapsedSerial).contains(DUE));
            // The renewer re-enrolls inside its window, as IoT Edge would.
            kafka.send(Topics.ISSUANCE_RESULTS, renewer,
                    TestIssuances.issued(renewer, renewedSerial, Instant.now(), Instant.now().plus(Duration.ofHours(1))));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/renewals/devices/{id}", renewer)
                    .then().statusCode(200).body("serialNumber", equalTo(renewedSerial)).body("state", equalTo("VALID")));

            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.statusesOf(lapsedSerial).contains(EXPIRED));
            // Two more scans by both replicas: nothing further may come.
            Thread.sleep(2500);
        }

        assertEquals(List.of(DUE), recorder.statusesOf(firstSerial), "renewed in time: due, never overdue");
        assertEquals(List.of(), recorder.statusesOf(renewedSerial));
        assertEquals(List.of(DUE, OVERDUE, EXPIRED), recorder.statusesOf(lapsedSerial));
        RenewalStatusChanged expired = recorder.matching(e -> e.serialNumber().equals(lapsedSerial)
                && e.status() == EXPIRED).get(0);
        assertEquals(RenewalStatusChanged.eventIdFor(lapsedSerial, EXPIRED), expired.eventId());
        assertEquals(lapsed, expired.deviceId());
        assertEquals(notAfter, expired.notAfter());

        given().get("/renewals/devices/{id}/history", renewer).then().statusCode(200)
                .body("serialNumber", equalTo(List.of(renewedSerial, firstSerial)))
                .body("[1].state", equalTo("SUPERSEDED")).body("[1].supersededBy", equalTo(renewedSerial))
                .body("[1].dueNotifiedAt", notNullValue()).body("[1].overdueNotifiedAt", nullValue());
        given().get("/renewals/devices/{id}", lapsed).then().statusCode(200).body("state", equalTo("EXPIRED"))
                .body("expiredNotifiedAt", notNullValue());
        given().queryParam("state", "expired").queryParam("size", 1000).get("/renewals/devices").then()
                .statusCode(200).body("devices.deviceId", hasItem(lapsed))
                .body("devices.deviceId", not(hasItem(renewer)));

        // A restarted scheduler (a fresh scanner over the same database) has nothing left to say about them.
        Map<Status, Integer> afterRestart = new RenewalScanner(repository, publisher, clock, 50).scanOnce()
                .await().atMost(Duration.ofSeconds(30));
        assertEquals(0, afterRestart.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void threeConcurrentScannersPublishEachEventExactlyOnce() throws Exception {
        int devices = 150;
        Instant now = Instant.now();
        List<String> serials = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        List<Future<Integer>> published = new ArrayList<>();
        try {
            // Two replicas besides the application's own scheduled one, small batches so their claims interleave.
            for (int replica = 0; replica < 2; replica++) {
                RenewalScanner scanner = new RenewalScanner(repository, publisher, clock, 7);
                published.add(replicas.submit(() -> {
                    int total = 0;
                    while (running.get()) {
                        total += scanner.scanOnce().await().atMost(Duration.ofSeconds(30)).values().stream()
                                .mapToInt(Integer::intValue).sum();
                    }
                    return total;
                }));
            }
            // Already expired: due, overdue and expired all become publishable at once.
            for (int i = 0; i < devices; i++) {
                String serial = serial();
                serials.add(serial);
                tracker.track(TestIssuances.issued("crowd-" + serial, serial, now.minusSeconds(100), now.minusSeconds(1)))
                        .await().atMost(Duration.ofSeconds(30));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> serials.stream()
                    .allMatch(s -> recorder.statusesOf(s).contains(EXPIRED)));
            Thread.sleep(2500);
        } finally {
            running.set(false);
            replicas.shutdown();
        }
        for (Future<Integer> replica : published) {
            replica.get();
        }
        Map<String, List<Status>> bySerial = new HashMap<>();
        for (String serial : serials) {
            bySerial.put(serial, recorder.statusesOf(serial));
        }
        Map<String, List<Status>> wrong = bySerial.entrySet().stream()
                .filter(e -> !e.getValue().equals(List.of(DUE, OVERDUE, EXPIRED)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), wrong, "every certificate: due, overdue, expired, once each and in order");
    }

    @Test
    void labelsHaveTheirOwnThresholdAndTheFleetIsSummarised() {
        String device = "fast-" + UUID.randomUUID();
        String serial = serial();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        IssuanceResult onFastLabel = new IssuanceResult(UUID.randomUUID().toString(), "test", "fast",
                IssuanceResult.Outcome.ISSUED, null, device, "CN=" + device, serial, "CN=Test CA",
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(9)), "AAAA", now);
        kafka.send(Topics.ISSUANCE_RESULTS, device, onFastLabel);
        // Label "fast" renews at 50% in the test profile: day 5 of 10, i.e. in 4 days.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/renewals/devices/{id}", device)
                .then().statusCode(200).body("label", equalTo("fast"))
                .body("renewAt", equalTo(now.plus(Duration.ofDays(4)).toString())));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            given().get("/renewals/summary").then().statusCode(200)
                    .body("labels.find { it.label == 'fast' }.tracked", equalTo(1));
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertEquals(true, metrics.contains("estuary_renewal_devices_tracked{label=\"fast\"} 1.0"), metrics);
            assertEquals(true, metrics.contains("estuary_renewal_devices_overdue{label=\"fast\"} 0.0"));
        });
    }

    @Test
    void theWebhookGetsEveryEventOnceAfterARetry() {
        String device = "hooked-" + UUID.randomUUID();
        String serial = serial();
        Instant now = Instant.now();
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.issued(device, serial, now.minusSeconds(100),
                now.minusSeconds(1)));
        // The receiver answers 503 to every first attempt: each event needs exactly one retry.
        List<String> expected = Stream.of(DUE, OVERDUE, EXPIRED)
                .map(status -> RenewalStatusChanged.eventIdFor(serial, status) + " 2 1").toList();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> received = given().get(webhookUrl.replace("/hook", "/attempts")).then().statusCode(200)
                    .extract().asString().lines().filter(line -> line.startsWith(serial + ":")).sorted().toList();
            assertEquals(expected.stream().sorted().toList(), received);
        });
    }

    @Test
    void listingParametersAreChecked() {
        given().queryParam("state", "soon").get("/renewals/devices").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("due, overdue, expired"));
        given().get("/renewals/devices").then().statusCode(400);
        given().queryParam("state", "valid").get("/renewals/devices").then().statusCode(400);
        given().queryParam("state", "due").queryParam("size", 0).get("/renewals/devices").then().statusCode(400);
        given().queryParam("state", "due").queryParam("size", "ten").get("/renewals/devices").then().statusCode(400);
        given().queryParam("state", "due").queryParam("page", -1).get("/renewals/devices").then().statusCode(400);
        given().queryParam("limit", "x").get("/renewals/due").then().statusCode(400);
        given().get("/renewals/devices/{id}/history", "nobody-" + UUID.randomUUID()).then().statusCode(404);
        given().queryParam("state", "DUE").queryParam("page", 3).queryParam("size", 2).get("/renewals/devices")
                .then().statusCode(200).body("page", equalTo(3)).body("size", equalTo(2));
    }

    /** A second scheduler replica: its own scanner looping over the same database while the test runs. */
    private final class SecondReplica implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<?> loop;

        SecondReplica() {
            RenewalScanner scanner = new RenewalScanner(repository, publisher, clock, 10);
            loop = thread.submit(() -> {
                while (running.get()) {
                    scanner.scanOnce().await().atMost(Duration.ofSeconds(30));
                    Thread.sleep(300);
                }
                return null;
            });
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.shutdown();
            loop.get();
        }
    }

    private static String serial() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
