package io.estuary.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.operatorauth.OperatorRoles;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestIssuances;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/** Issuance events from the real broker land in the real PostgreSQL, once each. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestSecurity(user = "test-auditor", roles = OperatorRoles.AUDITOR)
class IssuanceAuditTest {
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void recordsAnIssuanceOnceEvenWhenRedelivered() {
        String device = "audit-device-" + System.nanoTime();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        IssuanceResult issued = TestIssuances.issued(device, "abc123", now, now.plus(Duration.ofDays(30)));
        kafka.send(Topics.ISSUANCE_RESULTS, "k", issued);
        kafka.send(Topics.ISSUANCE_RESULTS, "k", issued); // a redelivery
        IssuanceResult marker = TestIssuances.issued(device, "def456", now, now.plus(Duration.ofDays(30)));
        kafka.send(Topics.ISSUANCE_RESULTS, "k", marker);

        // Once the later event is in, the redelivered one has been handled too (same partition, in order).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("device", device)
                .when().get("/issuances").then().statusCode(200).body("$", hasSize(2)));
        given().queryParam("device", device).when().get("/issuances").then()
                .body("[0].requestId", equalTo(issued.requestId()))
                .body("[0].serialNumber", equalTo("abc123"))
                .body("[0].outcome", equalTo("ISSUED"))
                .body("[0].notAfter", equalTo(now.plus(Duration.ofDays(30)).toString()))
                .body("[1].serialNumber", equalTo("def456"));
    }

    @Test
    void recordsARejectionWithItsReasonAndSurvivesAnUnreadableEvent() {
        kafka.send(Topics.ISSUANCE_RESULTS, "k", "}{ not an event");
        IssuanceResult rejected = TestIssuances.rejected("the CSR's signature does not verify with its public key");
        kafka.send(Topics.ISSUANCE_RESULTS, "k", rejected);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("request", rejected.requestId())
                .when().get("/issuances").then().statusCode(200).body("$", hasSize(1))
                .body("[0].outcome", equalTo("REJECTED"))
                .body("[0].reason", equalTo(rejected.reason())));
    }

    @Test
    void anEventWithTextItsColumnsCannotHoldIsRecordedAndTheTrailGoesOn() {
        // What an unauthenticated client controls: the claimed user name (here with NUL, which PostgreSQL text refuses,
        // and a lone surrogate) and the label in the path; longer than their columns. Published as raw JSON.
        String identity = "x".repeat(5000) + "\\u0000\\ud800";
        String label = "l".repeat(300);
        String eventId = "e".repeat(400) + System.nanoTime();
        kafka.send(Topics.AUTH_FAILURES, "k", "{\"eventId\":\"" + eventId + "\",\"identity\":\"" + identity
                + "\",\"sourceAddress\":\"127.0.0.1\",\"label\":\"" + label + "\",\"method\":\"basic\","
                + "\"reason\":\"" + "r".repeat(3000) + "\",\"at\":\"2026-01-01T00:00:00Z\"}");
        // A time past PostgreSQL's range (the year 294276; stored as infinity, not as hashed): skipped, with a log line.
        kafka.send(Topics.AUTH_FAILURES, "k", "{\"eventId\":\"far-" + System.nanoTime() + "\",\"identity\":\"x\","
                + "\"label\":\"" + label + "\",\"at\":\"+300000-01-01T00:00:00Z\"}");
        // A device id within its column's 1,000 characters but, in random CJK, 3,000 bytes: more than an index entry.
        java.util.Random random = new java.util.Random();
        String wide = random.ints(1000, 0x4e00, 0x9fff).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();
        IssuanceResult wideIssued = TestIssuances.issued(wide, "abcdef", Instant.now(), Instant.now().plusSeconds(60));
        kafka.send(Topics.ISSUANCE_RESULTS, "k", wideIssued);
        String device = "d".repeat(1200) + System.nanoTime();
        IssuanceResult after = TestIssuances.issued(device, "fedcba", Instant.now(), Instant.now().plusSeconds(60));
        kafka.send(Topics.ISSUANCE_RESULTS, "k", after);

        // The event after it is recorded: the consumer did not stall on the one it could not store as is. The full
        // device id finds it, though its column holds a cut one.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("device", device)
                .when().get("/issuances").then().statusCode(200).body("$", hasSize(1))
                .body("[0].deviceId", equalTo(device)));
        // By request id: the device id, percent-encoded, is longer than a request line may be.
        given().queryParam("request", wideIssued.requestId()).when().get("/issuances").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].deviceId", equalTo(wide));
        List<String> lines = given().queryParam("label", label).queryParam("outcome", "AUTHENTICATION_FAILED")
                .get("/audit/export.jsonl").then().statusCode(200).extract().asString().lines().toList();
        assertEquals(1, lines.size());
        JsonPath record = JsonPath.from(lines.get(0));
        assertEquals(1000, record.getString("requester").length());
        assertTrue(record.getString("requester").startsWith("x".repeat(999)), record.getString("requester"));
        assertTrue(record.getString("eventId").length() <= 300, record.getString("eventId"));
        assertEquals(2000, record.getString("reason").length());
        // The payload keeps the event whole; only the unpaired surrogate is replaced.
        assertEquals("x".repeat(5000) + "\u0000\ufffd", record.getString("payload.identity"));
        assertEquals(label, record.getString("payload.label"));
        given().get("/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void aQueryWithoutDeviceOrRequestIs400() {
        given().when().get("/issuances").then().statusCode(400);
        given().queryParam("device", "nobody-" + System.nanoTime()).when().get("/issuances").then().statusCode(200)
                .body("size()", is(0));
    }
}
