package io.estuary.renewal;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.contracts.Topics;
import io.estuary.operatorauth.OperatorRoles;
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

    @Test
    void badQueriesAre400AndUnknownDevicesAre404() {
        given().queryParam("within", "tomorrow").when().get("/renewals/due").then().statusCode(400);
        given().queryParam("within", "-P1D").when().get("/renewals/due").then().statusCode(400);
        given().queryParam("limit", 0).when().get("/renewals/due").then().statusCode(400);
        given().when().get("/renewals/devices/{id}", "nobody-" + System.nanoTime()).then().statusCode(404);
    }
}
