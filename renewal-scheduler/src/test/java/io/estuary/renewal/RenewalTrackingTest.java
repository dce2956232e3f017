package io.estuary.renewal;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.Topics;
import io.estuary.operatorauth.OperatorRoles;
import io.estuary.renewal.repository.CertificateRepository;
import io.estuary.renewal.repository.TrackedCertificate;
import io.estuary.renewal.service.RenewalSchedule;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestIssuances;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/** Issuance events from the real broker become renewal records in the real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestSecurity(user = "test-operator", roles = OperatorRoles.OPERATOR)
class RenewalTrackingTest {
    private static KafkaTestClient kafka;

    @Inject
    CertificateRepository repository;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void tracksTheNewestCertificateAndItsRenewalPoint() {
        String device = "renewal-device-" + System.nanoTime();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // 20-day lifetime, 10 days in: renewal point (80%) is 6 days from now.
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.issued(device, "0a", now.minus(Duration.ofDays(10)),
                now.plus(Duration.ofDays(10))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when()
                .get("/renewals/devices/{id}", device).then().statusCode(200)
                .body("renewAt", equalTo(now.plus(Duration.ofDays(6)).toString())));
        given().queryParam("within", "P7D").queryParam("limit", 1000).when().get("/renewals/due").then()
                .statusCode(200).body("deviceId", hasItem(device));
        given().queryParam("within", "P5D").queryParam("limit", 1000).when().get("/renewals/due").then()
                .statusCode(200).body("deviceId", not(hasItem(device)));

        // A renewal supersedes it; an older certificate arriving late does not.
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.issued(device, "0b", now, now.plus(Duration.ofDays(30))));
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.issued(device, "09", now.minus(Duration.ofDays(40)),
                now.minus(Duration.ofDays(1))));
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.rejected("ignored"));
        // An unreadable record in the same poll's batch is skipped; the rest of the batch is still tracked.
        kafka.send(Topics.ISSUANCE_RESULTS, device, "not an issuance result");
        String marker = device + "-marker";
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.issued(marker, "ff", now, now.plus(Duration.ofDays(1))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when()
                .get("/renewals/devices/{id}", marker).then().statusCode(200));
        given().when().get("/renewals/devices/{id}", device).then().statusCode(200)
                .body("serialNumber", equalTo("0b"))
                .body("renewAt", equalTo(now.plus(Duration.ofDays(24)).toString()));
    }

    /** A batch in the real database: what is new is counted, each device ends with its newest certificate current. */
    @Test
    void aBatchTracksWhatIsNewAndSettlesEachDevicesSuccession() {
        String a = "batch-a-" + System.nanoTime();
        String b = "batch-b-" + System.nanoTime();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Duration wait = Duration.ofSeconds(10);
        assertEquals(1, repository.trackAll(List.of(tracked(a + "-e", a, now, 10)), now).await().atMost(wait));

        // Device a (tracked in serial order, -l before -n): an older certificate arriving late, a renewal, a
        // redelivery of the renewal in the same batch and of the certificate already tracked; device b: its first
        // two certificates at once.
        List<TrackedCertificate> batch = List.of(tracked(a + "-n", a, now, 20), tracked(a + "-l", a, now, 1),
                tracked(a + "-n", a, now, 20), tracked(a + "-e", a, now, 10), tracked(b + "-2", b, now, 2),
                tracked(b + "-1", b, now, 1));
        assertEquals(4, repository.trackAll(batch, now).await().atMost(wait));
        assertEquals(0, repository.trackAll(batch, now).await().atMost(wait), "a redelivered batch changes nothing");

        assertEquals(a + "-n", repository.current(a).await().atMost(wait).serialNumber());
        assertEquals(b + "-2", repository.current(b).await().atMost(wait).serialNumber());
        Map<String, TrackedCertificate> history = repository.history(a).await().atMost(wait).stream()
                .collect(Collectors.toMap(TrackedCertificate::serialNumber, Function.identity()));
        assertEquals(3, history.size());
        assertNull(history.get(a + "-n").supersededBy());
        assertEquals(a + "-n", history.get(a + "-e").supersededBy());
        assertEquals(a + "-e", history.get(a + "-l").supersededBy(), "the late one gave way to the then-current one");
        assertEquals(b + "-2", repository.history(b).await().atMost(wait).get(1).supersededBy());
    }

    /** A certificate of the given device issued {@code days} days after the base time, valid for 30 days. */
    private static TrackedCertificate tracked(String serial, String device, Instant base, int days) {
        Instant notBefore = base.plus(Duration.ofDays(days));
        Instant notAfter = notBefore.plus(Duration.ofDays(30));
        return new TrackedCertificate(serial, device, "batch", new RenewalSchedule(notBefore, notAfter,
                notAfter.minus(Duration.ofDays(6)), notAfter.minus(Duration.ofDays(1))), null, null, null, null, null,
                null);
    }

    @Test
    void badQueriesAre400AndUnknownDevicesAre404() {
        given().queryParam("within", "tomorrow").when().get("/renewals/due").then().statusCode(400);
        given().queryParam("within", "-P1D").when().get("/renewals/due").then().statusCode(400);
        given().queryParam("limit", 0).when().get("/renewals/due").then().statusCode(400);
        given().when().get("/renewals/devices/{id}", "nobody-" + System.nanoTime()).then().statusCode(404);
    }
}
