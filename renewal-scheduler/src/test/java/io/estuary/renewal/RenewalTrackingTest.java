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

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.Topics;
import io.estuary.operatorauth.OperatorRoles;
import io.estuary.renewal.repository.CertificateRepository;
import io.estuary.renewal.domain.LabelCounts;
import io.estuary.renewal.repository.RenewalSchema;
import io.estuary.renewal.domain.TrackedCertificate;
import io.estuary.renewal.domain.RenewalSchedule;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestIssuances;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** Issuance events from the real broker become renewal records in the real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestSecurity(user = "test-operator", roles = OperatorRoles.OPERATOR)
class RenewalTrackingTest {
    private static KafkaTestClient kafka;

    @Inject
    CertificateRepository repository;
    @Inject
    Vertx vertx;

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
        // So are device ids PostgreSQL cannot store (NUL) or index (over 2,704 bytes): one would hold every partition.
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.issued("nul\u0000" + device, "0c", now,
                now.plus(Duration.ofDays(1))));
        kafka.send(Topics.ISSUANCE_RESULTS, device, TestIssuances.issued(new java.util.Random().ints(1000, 0x4e00,
                0x9fff).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString(),
                "0d", now, now.plus(Duration.ofDays(1))));
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

    /**
     * The fleet summary's device counts are kept by the tracking transactions (not counted over the table): a
     * renewal leaves the count alone, a late older certificate and a redelivery do not add, a device moving to
     * another label moves its count; the late states are counted from the certificates past their renewal point.
     */
    @Test
    void theFleetSummaryCountsDevicesAsTheyAreTrackedAndLateCertificatesByState() {
        String run = Long.toString(System.nanoTime());
        String first = "counted-" + run;
        String second = "counted-other-" + run;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Duration wait = Duration.ofSeconds(10);
        // Devices a, b, c on the first label; a renews (and an older certificate of it arrives late), c moves to the
        // second label with its renewal.
        repository.trackAll(List.of(tracked("a1-" + run, "a-" + run, now, 1, first),
                tracked("b1-" + run, "b-" + run, now, 1, first), tracked("c1-" + run, "c-" + run, now, 1, first)),
                now).await().atMost(wait);
        assertEquals(Map.of(first, List.of(3L, 0L, 0L, 0L)), counts(now, first, second));
        repository.trackAll(List.of(tracked("a2-" + run, "a-" + run, now, 2, first),
                tracked("a0-" + run, "a-" + run, now, 0, first), tracked("b1-" + run, "b-" + run, now, 1, first),
                tracked("c2-" + run, "c-" + run, now, 2, second)), now).await().atMost(wait);
        assertEquals(Map.of(first, List.of(2L, 0L, 0L, 0L), second, List.of(1L, 0L, 0L, 0L)),
                counts(now, first, second));

        // Late states at this instant: d past its renewal point, e past its grace, f expired; g's renewal point is
        // passed but it was superseded, so it is neither counted nor late.
        repository.trackAll(List.of(late("d-" + run, now, Duration.ofDays(1), Duration.ofDays(2), first),
                late("e-" + run, now, Duration.ofDays(-1), Duration.ofDays(2), first),
                late("f-" + run, now, Duration.ofDays(-2), Duration.ofDays(-1), second),
                late("g-" + run, now, Duration.ofDays(-2), Duration.ofDays(-1), second),
                tracked("g2-" + run, "g-" + run, now, 1, second)), now).await().atMost(wait);
        assertEquals(Map.of(first, List.of(4L, 1L, 1L, 0L), second, List.of(3L, 0L, 0L, 1L)),
                counts(now, first, second));
        given().get("/renewals/summary").then().statusCode(200)
                .body("labels.find { it.label == '" + second + "' }.tracked", equalTo(3))
                .body("labels.find { it.label == '" + second + "' }.expired", equalTo(1));
    }

    /**
     * The expiry calendar: per UTC day, the current certificates expiring then, each day listed; a superseded
     * certificate and one expiring beyond the window are not counted. Compared before and after, as other tests track
     * certificates in the same store.
     */
    @Test
    void theExpiryCalendarCountsCurrentCertificatesPerDay() {
        String run = Long.toString(System.nanoTime());
        Instant now = Instant.now();
        java.time.LocalDate today = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
        Instant inTenDays = today.plusDays(10).atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
        Instant inElevenDays = inTenDays.plus(Duration.ofDays(1));
        Map<String, Integer> before = expiries(20);
        Instant issued = now.minus(Duration.ofDays(1));
        repository.trackAll(List.of(expiring("x-" + run, "x-" + run, issued, inTenDays),
                expiring("y-" + run, "y-" + run, issued, inTenDays),
                expiring("z-" + run, "z-" + run, issued, inElevenDays),
                expiring("w-" + run, "w-" + run, issued, now.plus(Duration.ofDays(40)))), now)
                .await().atMost(Duration.ofSeconds(10));
        // w renews: its first certificate is superseded, the new one expires on day 11 too.
        repository.trackAll(List.of(expiring("w2-" + run, "w-" + run, now, inElevenDays)), now)
                .await().atMost(Duration.ofSeconds(10));
        Map<String, Integer> after = expiries(20);
        assertEquals(20, after.size());
        String day10 = today.plusDays(10).toString();
        String day11 = today.plusDays(11).toString();
        assertEquals(before.get(day10) + 2, after.get(day10));
        assertEquals(before.get(day11) + 2, after.get(day11));
        after.keySet().stream().filter(day -> !day.equals(day10) && !day.equals(day11))
                .forEach(day -> assertEquals(before.get(day), after.get(day), day));
        given().queryParam("days", 0).when().get("/renewals/expiries").then().statusCode(400);
        given().queryParam("days", "soon").when().get("/renewals/expiries").then().statusCode(400);
        given().queryParam("days", 367).when().get("/renewals/expiries").then().statusCode(400);
    }

    private static TrackedCertificate expiring(String serial, String device, Instant notBefore, Instant notAfter) {
        return new TrackedCertificate(serial, device, "batch", null, new RenewalSchedule(notBefore, notAfter,
                notAfter.minus(Duration.ofDays(2)), notAfter.minus(Duration.ofDays(1))), null, null, null, null, null,
                null);
    }

    private static Map<String, Integer> expiries(int days) {
        List<Map<String, Object>> listed = given().queryParam("days", days).when().get("/renewals/expiries").then()
                .statusCode(200).body("days", equalTo(days)).extract().jsonPath().getList("expiries");
        return listed.stream().collect(Collectors.toMap(day -> (String) day.get("day"),
                day -> ((Number) day.get("expiring")).intValue()));
    }

    /**
     * A store from before the device counts (no counter table) gets them counted once from its certificates when the
     * schema is created; creating it again does not count twice. In a schema of its own, away from the live tracker.
     */
    @Test
    void aStoreFromBeforeTheDeviceCountsIsCountedOnceAtStart() {
        String schema = "counts_" + System.nanoTime();
        Duration wait = Duration.ofSeconds(20);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Config config = ConfigProvider.getConfig();
        Pool separate = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                .connectingTo(PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class))
                        .setUser(config.getValue("quarkus.datasource.username", String.class))
                        .setPassword(config.getValue("quarkus.datasource.password", String.class))
                        .setProperties(Map.of("search_path", schema)))
                .using(vertx).build();
        try {
            separate.query("CREATE SCHEMA " + schema).execute().await().atMost(wait);
            RenewalSchema.create(separate).await().atMost(wait);
            CertificateRepository store = new CertificateRepository(separate);
            store.trackAll(List.of(tracked("x1", "x", now, 1, "old"), tracked("x2", "x", now, 2, "old"),
                    tracked("y1", "y", now, 1, "old"), tracked("z1", "z", now, 1, "other")), now).await().atMost(wait);
            separate.query("DROP TABLE renewal_label_devices").execute().await().atMost(wait);

            RenewalSchema.create(separate).await().atMost(wait);
            RenewalSchema.create(separate).await().atMost(wait);
            assertEquals(List.of(new LabelCounts("old", 2, 0, 0, 0), new LabelCounts("other", 1, 0, 0, 0)),
                    store.countsByLabel(now).await().atMost(wait));
        } finally {
            separate.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute().await().atMost(wait);
            separate.closeAndAwait();
        }
    }

    /** Per label among {@code labels}: devices, due, overdue, expired. */
    private Map<String, List<Long>> counts(Instant now, String... labels) {
        List<String> wanted = List.of(labels);
        return repository.countsByLabel(now).await().atMost(Duration.ofSeconds(10)).stream()
                .filter(count -> wanted.contains(count.label()))
                .collect(Collectors.toMap(LabelCounts::label,
                        count -> List.of(count.tracked(), count.due(), count.overdue(), count.expired())));
    }

    /**
     * A device's certificate (serial = device id) whose renewal point passed a day ago, overdue {@code overdueIn} and
     * expiring {@code expiresIn} from now.
     */
    private static TrackedCertificate late(String device, Instant now, Duration overdueIn, Duration expiresIn,
            String label) {
        Instant notAfter = now.plus(expiresIn);
        Instant renewAt = now.minus(Duration.ofDays(1));
        Instant overdueAt = now.plus(overdueIn);
        return new TrackedCertificate(device, device, label, null, new RenewalSchedule(notAfter.minus(Duration.ofDays(30)),
                notAfter, renewAt, overdueAt.isAfter(notAfter) ? notAfter : overdueAt), null, null, null, null, null,
                null);
    }

    /** A certificate of the given device issued {@code days} days after the base time, valid for 30 days. */
    private static TrackedCertificate tracked(String serial, String device, Instant base, int days) {
        return tracked(serial, device, base, days, "batch");
    }

    private static TrackedCertificate tracked(String serial, String device, Instant base, int days, String label) {
        Instant notBefore = base.plus(Duration.ofDays(days));
        Instant notAfter = notBefore.plus(Duration.ofDays(30));
        return new TrackedCertificate(serial, device, label, null, new RenewalSchedule(notBefore, notAfter,
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
