package io.estuary.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditOutcome;
import io.estuary.audit.domain.AuditQuery;
import io.estuary.audit.domain.AuditRecord;
import io.estuary.audit.domain.Blocking;
import io.estuary.audit.domain.ChainedEntry;
import io.estuary.audit.domain.HashChain;
import io.estuary.audit.domain.SourcePosition;
import io.estuary.audit.messaging.AuditReplay;
import io.estuary.audit.messaging.AuditStreamConsumer;
import io.estuary.audit.repository.AuditRecordRepository;
import io.estuary.audit.repository.AuditRecordWriter;
import io.estuary.audit.service.AuditChainAppender;
import io.estuary.contracts.AuthenticationFailed;
import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.RenewalStatusChanged;
import io.estuary.contracts.Topics;
import io.estuary.operatorauth.OperatorRoles;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestIssuances;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;

/** The audit trail on the real broker and PostgreSQL: counts, tamper detection, replay, restart. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestSecurity(user = "test-auditor", roles = OperatorRoles.AUDITOR)
class AuditTrailTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaTestClient kafka;

    @Inject
    AuditStreamConsumer consumer;
    @Inject
    AuditReplay replay;
    @Inject
    AuditRecordRepository records;
    @Inject
    AuditChainAppender appender;
    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void nIssuancesGiveNRecordsInQueriesAndExports() {
        String device = "n-device-" + System.nanoTime();
        int n = 25;
        for (int i = 0; i < n; i++) {
            kafka.send(Topics.ISSUANCE_RESULTS, device, issued(device, "a" + i));
        }
        awaitRecords(device, n);
        given().queryParam("device", device).get("/issuances").then().statusCode(200).body("$", hasSize(n));
        given().queryParam("device", device).queryParam("limit", 10).get("/audit/records").then().statusCode(200)
                .body("records", hasSize(10)).body("next", equalTo(
                        given().queryParam("device", device).get("/audit/records").jsonPath().getInt(
                                "records[9].sequence")));
        String jsonLines = given().queryParam("device", device).get("/audit/export.jsonl").then().statusCode(200)
                .extract().asString();
        List<String> lines = jsonLines.lines().toList();
        assertEquals(n, lines.size());
        assertEquals("ISSUED", JsonPath.from(lines.get(0)).getString("outcome"));
        assertEquals(device, JsonPath.from(lines.get(0)).getString("payload.deviceId"));
        String csv = given().queryParam("device", device).get("/audit/export.csv").then().statusCode(200)
                .extract().asString();
        List<String> rows = csv.lines().toList();
        assertEquals(n + 1, rows.size());
        assertTrue(rows.get(0).startsWith("sequence,eventId,outcome"), rows.get(0));
        assertTrue(rows.get(1).contains(",ISSUED,"), rows.get(1));
    }

    @Test
    void aBatchIsStoredExactlyAsChained() {
        // One append of 103 entries (one insert from arrays), with nulls, every outcome column value and non-ASCII text.
        String device = "batch-device-" + System.nanoTime();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            boolean sparse = i % 2 == 0;
            entries.add(new AuditEntry("batch:" + device + ":" + i, i % 3 == 0 ? AuditOutcome.REJECTED
                    : AuditOutcome.ISSUED, at.plusMillis(i), device, sparse ? null : "serial-" + i,
                    sparse ? null : "edge-ca", sparse ? null : "requester-" + i, "request-" + device + "-" + i,
                    sparse ? null : "reason " + i, "{\"i\":" + i + ",\"text\":\"quote ' and \u00e9\"}",
                    new SourcePosition(at.plusMillis(i), "audit-batch-test", i % 4, 1000L + i)));
        }
        // Appended straight into the store, not through the topics: the consumer stays off meanwhile and the rows go
        // again after, so the store still equals what a replay of the topics gives (see the replay test).
        consumer.stop();
        try {
            appendAndCheck(device, entries);
        } finally {
            sql("delete from audit_record where deviceId = '" + device + "'");
            consumer.start();
        }
    }

    @Test
    void theWriterInsertsEveryColumnOfTheTable() {
        List<String> table = Blocking.await(() -> Panache.withSession(() -> records.getSession().chain(session -> session
                .createNativeQuery("select column_name from information_schema.columns where table_name = 'audit_record'"
                        + " and table_schema = current_schema()", String.class)
                .getResultList())));
        assertEquals(new HashSet<>(table), new HashSet<>(AuditRecordWriter.COLUMNS.stream()
                .map(column -> column.toLowerCase(Locale.ROOT)).toList()));
    }

    private void appendAndCheck(String device, List<AuditEntry> entries) {
        assertEquals(103, Blocking.await(() -> appender.append(entries)));
        assertEquals(0, Blocking.await(() -> appender.append(entries)), "a redelivered batch adds nothing");

        List<AuditRecord> stored = Blocking.await(() -> Panache.withSession(() -> records.page(
                new AuditQuery(device, null, null, null, null, null, null), 0, 1000)));
        assertEquals(103, stored.size());
        for (int i = 0; i < stored.size(); i++) {
            ChainedEntry row = stored.get(i).toChainedEntry();
            assertEquals(entries.get(i), row.entry(), "row " + i);
            assertEquals(HashChain.link(row.sequence(), row.entry(), row.previousHash()), row, "row " + i);
            if (i > 0) {
                assertEquals(stored.get(i - 1).sequence + 1, row.sequence());
                assertEquals(stored.get(i - 1).hash, row.previousHash());
            }
        }
        given().get("/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void aRowEditedInTheDatabaseIsFoundByVerifyAtThatRow() {
        String device = "tamper-device-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            kafka.send(Topics.ISSUANCE_RESULTS, device, issued(device, "b" + i));
        }
        awaitRecords(device, 3);
        long edited = given().queryParam("device", device).get("/audit/records").jsonPath()
                .getLong("records[1].sequence");
        given().get("/audit/verify").then().statusCode(200).body("valid", equalTo(true));
        sql("update audit_record set serialNumber = 'ffff' where sequence = " + edited);
        try {
            given().get("/audit/verify").then().statusCode(409).body("valid", equalTo(false))
                    .body("brokenAtSequence", equalTo((int) edited))
                    .body("problem", containsString("does not match its hash"));
        } finally {
            sql("update audit_record set serialNumber = 'b1' where sequence = " + edited);
        }
        given().get("/audit/verify").then().statusCode(200);
    }

    @Test
    void replayIntoAnEmptyStoreGivesTheSameChainHead() {
        String device = "replay-device-" + System.nanoTime();
        Instant now = Instant.now();
        CsrSubmitted request = new CsrSubmitted(UUID.randomUUID().toString(), "replay-requester", "", "simpleenroll",
                "MIIB", now);
        kafka.send(Topics.CSR_REQUESTS, "replay-requester", request);
        kafka.send(Topics.ISSUANCE_RESULTS, "replay-requester", issued(device, "c1"));
        kafka.send(Topics.AUTH_FAILURES, "127.0.0.1", new AuthenticationFailed(UUID.randomUUID().toString(),
                "mallory", "127.0.0.1", "", "basic", "wrong password", now));
        kafka.send(Topics.RENEWAL_EVENTS, device, new RenewalStatusChanged(
                RenewalStatusChanged.eventIdFor("c1", RenewalStatusChanged.Status.DUE), device, "", "c1",
                RenewalStatusChanged.Status.DUE, now, now.plus(Duration.ofDays(1)), now));
        kafka.send(Topics.RENEWAL_EVENTS, device, "{\"eventId\": 42"); // malformed: skipped, live and in replay
        Instant sent = Instant.now();
        await().atMost(WAIT).until(() -> consumer.lastCycle() != null
                && consumer.lastCycle().isAfter(sent.plus(Duration.ofSeconds(3))));
        given().queryParam("request", request.requestId()).get("/audit/records").then()
                .body("records[0].outcome", equalTo("REQUESTED"));
        given().queryParam("outcome", "renewal_due").queryParam("device", device).get("/audit/records").then()
                .body("records", hasSize(1));

        consumer.stop();
        try {
            JsonPath live = given().get("/audit/verify").then().statusCode(200).extract().jsonPath();
            Blocking.await(() -> Panache.withTransaction(records::deleteAll));
            long written = replay.replayIntoEmptyStore();
            JsonPath replayed = given().get("/audit/verify").then().statusCode(200).extract().jsonPath();
            assertEquals(live.getLong("headSequence"), written);
            assertEquals(live.getLong("headSequence"), replayed.getLong("headSequence"));
            assertEquals(live.getString("headHash"), replayed.getString("headHash"));
        } finally {
            consumer.start();
        }
    }

    @Test
    void stoppingTheConsumerDuringAStreamLosesAndDuplicatesNothing() throws Exception {
        String device = "restart-device-" + System.nanoTime();
        int m = 60;
        List<IssuanceResult> events = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            events.add(issued(device, "d" + i));
        }
        Thread producer = new Thread(() -> events.forEach(e -> {
            kafka.send(Topics.ISSUANCE_RESULTS, device + e.serialNumber(), e);
            sleep(20);
        }));
        producer.start();
        sleep(400);
        consumer.stop();
        sleep(1500);
        consumer.start();
        producer.join();
        events.subList(0, 10).forEach(e -> kafka.send(Topics.ISSUANCE_RESULTS, "again", e)); // redeliveries
        awaitRecords(device, m);
        sleep(3000); // a redelivery chained late would show up now
        List<String> eventIds = given().queryParam("device", device).queryParam("limit", 1000).get("/audit/records")
                .jsonPath().getList("records.eventId");
        assertEquals(m, eventIds.size());
        assertEquals(m, new HashSet<>(eventIds).size());
        given().get("/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    /**
     * A request answered twice with distinct certificates, as by a signer that lost its partitions without knowing it,
     * has both certificates in the trail, the second under its own event id and counted; the same CSR enrolled again
     * after the retry window is recorded too, and not counted; a redelivery of any adds nothing.
     */
    @Test
    void everyCertificateOfARequestIsRecordedAndOneWithinTheRetryWindowIsCounted() {
        String device = "twice-device-" + System.nanoTime();
        IssuanceResult first = issued(device, "f1");
        IssuanceResult second = answerAgain(first, "f2", Instant.now());
        IssuanceResult again = answerAgain(first, "f4", first.decidedAt().plus(Duration.ofDays(30)));
        IssuanceResult later = issued(device, "f3");
        double answeredTwice = meters.counter("estuary.audit.requests.answered.twice").count();
        // One key, so one partition: the audit reads them in this order. Redelivered once in the same batch, then
        // after both are stored.
        for (IssuanceResult event : List.of(first, second, first, second)) {
            kafka.send(Topics.ISSUANCE_RESULTS, device, event);
        }
        awaitRecords(device, 2);
        for (IssuanceResult event : List.of(second, first, again, again, later)) {
            kafka.send(Topics.ISSUANCE_RESULTS, device, event);
        }
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("request", later.requestId())
                .get("/audit/records").then().statusCode(200).body("records", hasSize(1)));

        JsonPath records = given().queryParam("device", device).get("/audit/records").then().statusCode(200)
                .extract().jsonPath();
        String request = "result:" + first.requestId();
        assertEquals(List.of(request, request + ":f2", request + ":f4", "result:" + later.requestId()),
                records.getList("records.eventId"));
        assertEquals(List.of("f1", "f2", "f4", "f3"), records.getList("records.serialNumber"));
        assertEquals(List.of("ISSUED", "ISSUED", "ISSUED", "ISSUED"), records.getList("records.outcome"));
        assertEquals("answered twice: within the retry window of the answer recorded with serial f1 (two signers"
                + " answered it)", records.getString("records[1].reason"));
        assertTrue(records.getString("records[2].reason").startsWith("issued again for the same CSR and requester"),
                records.getString("records[2].reason"));
        assertEquals(answeredTwice + 1, meters.counter("estuary.audit.requests.answered.twice").count());
        given().queryParam("request", first.requestId()).get("/issuances").then().statusCode(200)
                .body("$", hasSize(3));
        given().get("/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    private static IssuanceResult answerAgain(IssuanceResult answer, String serial, Instant decidedAt) {
        return new IssuanceResult(answer.requestId(), answer.requester(), answer.label(),
                IssuanceResult.Outcome.ISSUED, null, answer.deviceId(), answer.subject(), serial, answer.issuer(),
                answer.notBefore(), answer.notAfter(), answer.certificate(), decidedAt);
    }

    @Test
    void healthReportsTheConsumerAndGoesDownWhenItIsNotConsuming() {
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'audit-consumer' }.status", equalTo("UP"));
        consumer.stop();
        try {
            given().get("/q/health/live").then().statusCode(503)
                    .body("checks.find { it.name == 'audit-consumer' }.status", equalTo("DOWN"));
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            consumer.start();
        }
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    /**
     * An Error (a broken class path, out of memory) does not end the consumer: its follower starts again from the
     * committed offsets after the retry backoff, reporting the failure, and chains what was sent once it passes.
     */
    @Test
    void anErrorRestartsTheConsumerAndNothingIsLost() {
        AuditChainAppender real = ClientProxy.unwrap(appender);
        AtomicBoolean failing = new AtomicBoolean(true);
        QuarkusMock.installMockForType(new AuditChainAppender() {
            @Override
            public int appendBlocking(List<AuditEntry> entries) {
                if (failing.get()) {
                    throw new NoClassDefFoundError("simulated by the test");
                }
                return real.appendBlocking(entries);
            }
        }, AuditChainAppender.class);
        String device = "error-device-" + System.nanoTime();
        long restartsBefore = consumer.health().restarts();
        try {
            kafka.send(Topics.ISSUANCE_RESULTS, device, issued(device, "e1"));
            await().atMost(WAIT).until(() -> consumer.health().restarts() > restartsBefore
                    && String.valueOf(consumer.health().lastFailure()).contains("simulated by the test"));
            assertTrue(consumer.isAlive(), "the consumer is still started");
            given().get("/q/health/live").then().statusCode(200)
                    .body("checks.find { it.name == 'audit-consumer' }.status", equalTo("UP"));
        } finally {
            failing.set(false);
        }
        awaitRecords(device, 1);
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void badInputIs400WithAReason() {
        given().queryParam("from", "yesterday").get("/audit/records").then().statusCode(400)
                .body(containsString("'from' must be an ISO-8601 instant"));
        given().queryParam("outcome", "MAYBE").get("/audit/records").then().statusCode(400)
                .body(containsString("'outcome' must be one of"));
        given().queryParam("limit", "0").get("/audit/records").then().statusCode(400)
                .body(containsString("'limit' must be a whole number"));
        given().queryParam("after", "x").get("/audit/records").then().statusCode(400);
        given().queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z")
                .get("/audit/export.csv").then().statusCode(400).body(containsString("'from' must be before 'to'"));
        given().get("/issuances").then().statusCode(400).body(containsString("'device' or 'request'"));
    }

    private static IssuanceResult issued(String device, String serial) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return TestIssuances.issued(device, serial, now, now.plus(Duration.ofDays(30)));
    }

    private static void awaitRecords(String device, int count) {
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("device", device).queryParam("limit", 1000)
                .get("/audit/records").then().statusCode(200).body("records", hasSize(count)));
    }

    private void sql(String statement) {
        Blocking.await(() -> Panache.withTransaction(() -> records.getSession()
                .chain(session -> session.createNativeQuery(statement).executeUpdate())));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
