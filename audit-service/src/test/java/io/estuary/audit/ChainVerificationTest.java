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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditQuery;
import io.estuary.audit.domain.AuditRecord;
import io.estuary.audit.domain.Blocking;
import io.estuary.audit.domain.ChainVerification;
import io.estuary.audit.domain.Checkpoint;
import io.estuary.audit.messaging.AuditStreamConsumer;
import io.estuary.audit.repository.AuditRecordRepository;
import io.estuary.audit.service.AuditChainAppender;
import io.estuary.audit.service.ChainVerificationService;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.operatorauth.OperatorRoles;
import io.estuary.testkit.KafkaBrokerResource;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestIssuances;
import io.quarkus.arc.ClientProxy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Verification from checkpoints, one run at a time, in the background, and what a failed run leaves alone. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestSecurity(user = "test-auditor", roles = OperatorRoles.AUDITOR)
class ChainVerificationTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static KafkaTestClient kafka;

    @Inject
    AuditStreamConsumer consumer;
    @Inject
    ChainVerificationService verification;
    @Inject
    AuditRecordRepository records;
    @Inject
    AuditChainAppender appender;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aRunFromACheckpointChecksOnlyTheRecordsAfterItAndFindsABreakThere() {
        String device = "checkpoint-device-" + System.nanoTime();
        List<Long> sequences = record(device, 4);
        consumer.stop(); // nothing appended meanwhile: the figures below are exact
        try {
            JsonPath full = given().get("/audit/verify").then().statusCode(200).extract().jsonPath();
            long head = full.getLong("headSequence");
            long checkpoint = sequences.get(1);
            String hash = field(checkpoint, "hash");

            JsonPath rest = given().queryParam("after", checkpoint).queryParam("afterHash", hash).get("/audit/verify")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(checkpoint, rest.getLong("fromSequence"));
            assertEquals(head - checkpoint, rest.getLong("checked"));
            assertEquals(head, rest.getLong("headSequence"));
            assertEquals(full.getString("headHash"), rest.getString("headHash"));

            // Before the checkpoint is not this run's to check; after it is, and it names the record.
            long before = sequences.get(0);
            long after = sequences.get(2);
            String beforeSerial = field(before, "serialNumber");
            String afterSerial = field(after, "serialNumber");
            sql("update audit_record set serialNumber = 'edited' where sequence = " + before);
            try {
                given().queryParam("after", checkpoint).queryParam("afterHash", hash).get("/audit/verify").then()
                        .statusCode(200);
                given().get("/audit/verify").then().statusCode(409).body("brokenAtSequence", equalTo((int) before));
            } finally {
                sql("update audit_record set serialNumber = '" + beforeSerial + "' where sequence = " + before);
            }
            sql("update audit_record set serialNumber = 'edited' where sequence = " + after);
            try {
                // In the background too: the run's status carries the same result.
                String id = given().queryParam("after", checkpoint).queryParam("afterHash", hash)
                        .post("/audit/verifications").then().statusCode(202)
                        .header("Location", containsString("/audit/verifications/")).extract().path("id");
                JsonPath done = awaitEnd(id, "FINISHED");
                assertEquals(false, done.getBoolean("result.valid"));
                assertEquals(after, done.getLong("result.brokenAtSequence"));
                assertEquals(after - checkpoint, done.getLong("result.checked"));
                assertTrue(done.getString("result.problem").contains("does not match its hash"));
            } finally {
                sql("update audit_record set serialNumber = '" + afterSerial + "' where sequence = " + after);
            }

            given().queryParam("after", checkpoint).queryParam("afterHash", field(before, "hash")).get("/audit/verify")
                    .then().statusCode(409).body("brokenAtSequence", equalTo((int) checkpoint))
                    .body("problem", containsString("checkpoint's hash"));
            given().queryParam("after", head + 1).queryParam("afterHash", hash).get("/audit/verify")
                    .then().statusCode(409).body("problem", containsString("not in the store"));
            given().queryParam("after", checkpoint).get("/audit/verify").then().statusCode(400)
                    .body(containsString("'after' and 'afterHash' go together"));
            given().queryParam("after", checkpoint).queryParam("afterHash", "xyz").post("/audit/verifications")
                    .then().statusCode(400).body(containsString("64 lower-case hexadecimal"));
            given().get("/audit/verifications/no-such-run").then().statusCode(404);
        } finally {
            consumer.start();
        }
    }

    @Test
    void aSecondRunIsRefusedWhileOneRunsAndTheConsumerRecordsMeanwhile() throws Exception {
        String device = "concurrent-device-" + System.nanoTime();
        record(device, 1);
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ChainVerificationService real = ClientProxy.unwrap(verification);
        // The real run, held after its first page until the test has looked at it.
        QuarkusMock.installMockForType(new ChainVerificationService() {
            @Override
            public ChainVerification verify(Checkpoint from, Progress progress) {
                return real.verify(from, new Progress() {
                    @Override
                    public void started(long throughSequence) {
                        progress.started(throughSequence);
                    }

                    @Override
                    public void verified(long checked, long headSequence, String headHash) {
                        progress.verified(checked, headSequence, headHash);
                        paused.countDown();
                        try {
                            resume.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
            }
        }, ChainVerificationService.class);
        try {
            String id = given().post("/audit/verifications").then().statusCode(202).extract().path("id");
            assertTrue(paused.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the run verified a page");
            JsonPath running = given().get("/audit/verifications/" + id).then().statusCode(200)
                    .body("state", equalTo("RUNNING")).extract().jsonPath();
            assertTrue(running.getLong("checked") > 0);
            long through = running.getLong("throughSequence");

            given().post("/audit/verifications").then().statusCode(429)
                    .body(containsString("already running (" + id));
            given().get("/audit/verify").then().statusCode(429).body(containsString("already running"));

            // The consumer goes on appending, past the head the run verifies up to.
            kafka.send(Topics.ISSUANCE_RESULTS, device, issued(device, "v1"));
            awaitRecords(device, 2);
            given().get("/q/health/live").then().statusCode(200);

            resume.countDown();
            JsonPath done = awaitEnd(id, "FINISHED");
            assertTrue(done.getBoolean("result.valid"));
            assertEquals(through, done.getLong("result.headSequence"));
            assertEquals(through, done.getLong("verifiedSequence"));
        } finally {
            resume.countDown();
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void anExportResumesAfterASequenceAndASecondExportIsRefusedWhileOneStreams() throws Exception {
        String device = "export-device-" + System.nanoTime();
        List<Long> sequences = record(device, 3);
        List<String> rest = given().queryParam("device", device).queryParam("after", sequences.get(0))
                .get("/audit/export.jsonl").then().statusCode(200).extract().asString().lines().toList();
        assertEquals(2, rest.size());
        assertTrue(rest.get(0).contains("\"sequence\":" + sequences.get(1)), rest.get(0));
        assertEquals(3, given().queryParam("device", device).queryParam("after", sequences.get(0))
                .get("/audit/export.csv").then().statusCode(200).extract().asString().lines().count());

        AuditRecordRepository real = ClientProxy.unwrap(records);
        CountDownLatch streaming = new CountDownLatch(1);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        // The first export holds its place until the gate opens: it has started, and has not ended.
        QuarkusMock.installMockForType(new AuditRecordRepository() {
            @Override
            public Uni<Long> headSequence() {
                streaming.countDown();
                Context context = Vertx.currentContext(); // the gate opens on the test's thread: go on here
                return Uni.createFrom().completionStage(gate)
                        .emitOn(task -> context.runOnContext(ignored -> task.run())).chain(real::headSequence);
            }

            @Override
            public Uni<List<AuditRecord>> page(AuditQuery query, long after, long through, int limit) {
                return real.page(query, after, through, limit);
            }
        }, AuditRecordRepository.class);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> given().queryParam("device", device)
                .get("/audit/export.jsonl").then().statusCode(200).extract().asString());
        try {
            assertTrue(streaming.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the first export started");
            given().get("/audit/export.csv").then().statusCode(429)
                    .body(containsString("estuary.audit.export.max-concurrent"));
        } finally {
            gate.complete(null);
        }
        assertEquals(3, first.get(WAIT.toSeconds(), TimeUnit.SECONDS).lines().count());
        given().queryParam("device", device).get("/audit/export.csv").then().statusCode(200);
    }

    @Test
    void runningOutOfMemoryEndsOnlyTheVerificationAndTheConsumerSurvivesItToo() {
        ChainVerificationService realVerification = ClientProxy.unwrap(verification);
        QuarkusMock.installMockForType(new ChainVerificationService() {
            @Override
            public ChainVerification verify(Checkpoint from, Progress progress) {
                throw new OutOfMemoryError("simulated by the test");
            }
        }, ChainVerificationService.class);
        given().get("/audit/verify").then().statusCode(503).body(containsString("OutOfMemoryError"))
                .body(containsString("run it again"));
        String id = given().post("/audit/verifications").then().statusCode(202).extract().path("id");
        assertTrue(awaitEnd(id, "FAILED").getString("failure").contains("OutOfMemoryError"));
        given().get("/q/health/live").then().statusCode(200);
        QuarkusMock.installMockForType(realVerification, ChainVerificationService.class);

        // The consumer's own thread out of memory: it drops what it read and reads it again.
        AuditChainAppender realAppender = ClientProxy.unwrap(appender);
        AtomicBoolean thrown = new AtomicBoolean();
        QuarkusMock.installMockForType(new AuditChainAppender() {
            @Override
            public int appendBlocking(List<AuditEntry> entries) {
                if (!entries.isEmpty() && thrown.compareAndSet(false, true)) {
                    throw new OutOfMemoryError("simulated by the test");
                }
                return realAppender.appendBlocking(entries);
            }
        }, AuditChainAppender.class);
        String device = "oom-device-" + System.nanoTime();
        kafka.send(Topics.ISSUANCE_RESULTS, device, issued(device, "v0"));
        awaitRecords(device, 1);
        assertTrue(thrown.get(), "the consumer met the error");
        assertTrue(consumer.isAlive());
        given().get("/q/health/live").then().statusCode(200);
        given().get("/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    private static JsonPath awaitEnd(String id, String state) {
        await().atMost(WAIT).until(() -> !given().get("/audit/verifications/" + id).jsonPath().getString("state")
                .equals("RUNNING"));
        return given().get("/audit/verifications/" + id).then().statusCode(200).body("state", equalTo(state))
                .extract().jsonPath();
    }

    /** Sends n issuances for a device, serial numbers v0, v1, …, and returns their sequence numbers. */
    private static List<Long> record(String device, int n) {
        for (int i = 0; i < n; i++) {
            kafka.send(Topics.ISSUANCE_RESULTS, device, issued(device, "v" + i));
        }
        awaitRecords(device, n);
        return given().queryParam("device", device).get("/audit/records").jsonPath()
                .getList("records.sequence", Long.class);
    }

    private static String field(long sequence, String name) {
        return given().queryParam("after", sequence - 1).queryParam("limit", 1).get("/audit/records").jsonPath()
                .getString("records[0]." + name);
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
}
