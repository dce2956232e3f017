package io.estuary.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
    void aQueryWithoutDeviceOrRequestIs400() {
        given().when().get("/issuances").then().statusCode(400);
        given().queryParam("device", "nobody-" + System.nanoTime()).when().get("/issuances").then().statusCode(200)
                .body("size()", is(0));
    }
}
