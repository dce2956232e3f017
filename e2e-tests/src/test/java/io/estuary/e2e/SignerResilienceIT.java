package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;

/**
 * The signer on the real broker and SoftHSM2 token, as a separate process: killed with SIGKILL in the middle of a
 * stream it loses no request and issues no request twice; two instances in one consumer group both sign.
 */
@ExtendWith(SharedServices.class)
class SignerResilienceIT {
    private static Path root;
    private static Path state;
    private static KafkaTestClient kafka;
    private static X509Certificate ca;

    @BeforeAll
    static void startServices() throws Exception {
        state = LocalStack.state();
        root = LocalStack.root();
        LocalStack.script("services-up");
        kafka = new KafkaTestClient();
        ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(state.resolve("pki/ca.pem"))));
    }

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aSignerKilledMidStreamLosesNothingAndIssuesEachRequestOnce() throws Exception {
        int count = 300;
        List<CsrSubmitted> requests = requests(count, "kill");
        try (ResultCollector results = new ResultCollector()) {
            for (CsrSubmitted request : requests) {
                kafka.send(Topics.CSR_REQUESTS, request.requester(), request);
            }
            results.awaitDistinct(requests, 40, Duration.ofSeconds(60));
            long pid = Long.parseLong(Files.readString(state.resolve("run/ca-signer.pid")).strip());
            run(List.of("kill", "-9", Long.toString(pid)));
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            LocalStack.script("services-up"); // restarts what is not running: the signer
            results.awaitDistinct(requests, count, Duration.ofSeconds(120));
            assertOneCertificatePerRequest(requests, results);
        }
    }

    /**
     * Requests stream in and each is sent again once answered, as clients retry, while a second signer joins the
     * group and is then killed: partitions change hands twice, once by revocation while the first signer has a
     * backlog in hand, and once by a dead member's timeout. No request gets two certificates: a request reaching the
     * new owner of its partition while, or just after, the old owner answers it is answered again, not signed again.
     */
    @Test
    void twoSignersHandRequestsOverWithoutSigningAnyTwice() throws Exception {
        Path secondLog = state.resolve("logs/ca-signer-2.log");
        Files.deleteIfExists(secondLog);
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar",
                root.resolve("ca-signer/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(secondLog.toFile());
        int port = Integer.parseInt(LocalStack.env("ESTUARY_SIGNER_MANAGEMENT_PORT")) + 50;
        builder.environment().put("ESTUARY_SIGNER_MANAGEMENT_PORT", Integer.toString(port));
        builder.environment().put("SOFTHSM2_CONF", state.resolve("hsm/softhsm2.conf").toString());
        builder.environment().put("ESTUARY_HSM_PIN_FILE", state.resolve("secrets/hsm-pin").toString());
        builder.environment().put("ESTUARY_WARM_UP", "PT0S"); // joins the group within seconds of its start
        Set<String> issued;
        List<CsrSubmitted> requests;
        try (ResultCollector results = new ResultCollector(); RetriedStream stream = new RetriedStream(results)) {
            stream.awaitAnswered(100, Duration.ofSeconds(60));
            // A backlog from before the second signer starts until it holds partitions: the first is signing
            // requests of the partitions it gives up when it gives them up.
            stream.flood(true);
            Process second = builder.start();
            try {
                awaitLogged(secondLog, "Notifying assignor about the new Assignment", second);
                stream.flood(false);
                awaitReady("http://127.0.0.1:" + port + "/q/health/ready", second);
                Thread.sleep(5_000); // both sign, and retries cross the new split
            } finally {
                second.destroyForcibly();
                second.onExit().join();
            }
            // The first signer takes the dead one's partitions over once its session times out (10 s).
            Thread.sleep(15_000);
            stream.close();
            requests = stream.sent();
            results.awaitDistinct(requests, requests.size(), Duration.ofSeconds(180));
            assertTrue(stream.retries() > 100, "retries sent: " + stream.retries());
            issued = assertOneCertificatePerRequest(requests, results);
        }
        // The first signer's log also holds what it signed for earlier tests: only this test's serials count.
        Set<String> serialsFromFirst = issuedSerials(state.resolve("logs/ca-signer.log"));
        serialsFromFirst.retainAll(issued);
        Set<String> serialsFromSecond = issuedSerials(secondLog);
        serialsFromSecond.retainAll(issued);
        assertTrue(!serialsFromFirst.isEmpty(), "the first instance signed");
        assertTrue(!serialsFromSecond.isEmpty(), "the second instance signed");
        serialsFromFirst.retainAll(serialsFromSecond);
        assertEquals(Set.of(), serialsFromFirst, "no certificate signed by both");
    }

    private static void awaitLogged(Path log, String line, Process process) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                fail("the second signer exited");
            }
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the second signer did not log '" + line + "' in 120 s");
    }

    /**
     * New requests at a steady pace, or as a backlog kept in front of the signers when flooding; each is sent once
     * more as soon as it is answered. The CSRs come from a small pool: each request is its own (a new request id).
     */
    private static final class RetriedStream implements AutoCloseable {
        private static final int BACKLOG = 500;
        private final ResultCollector results;
        private final List<CsrSubmitted> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Map<String, CsrSubmitted> byId = new ConcurrentHashMap<>();
        private final List<String> csrs = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean flooding;
        private volatile int retries;
        private volatile Exception failure;

        RetriedStream(ResultCollector results) {
            this.results = results;
            for (int i = 0; i < 200; i++) {
                csrs.add(Base64.getEncoder().encodeToString(TestCsrs.csr("handover-" + i, TestCsrs.ecP256())));
            }
            thread = new Thread(this::run, "retried-stream");
            thread.start();
        }

        private void run() {
            try {
                while (running) {
                    int wanted = flooding ? Math.max(0, BACKLOG - (sent.size() - results.answered())) : 5;
                    for (int i = 0; i < wanted; i++) {
                        int n = sent.size();
                        CsrSubmitted request = new CsrSubmitted(UUID.randomUUID().toString(),
                                "requester-" + (n % 16), "", "simpleenroll", csrs.get(n % csrs.size()),
                                Instant.now());
                        byId.put(request.requestId(), request);
                        kafka.sendAsync(Topics.CSR_REQUESTS, request.requester(), request);
                        sent.add(request);
                    }
                    for (String answered = results.nextFirstAnswered(); answered != null;
                            answered = results.nextFirstAnswered()) {
                        CsrSubmitted request = byId.get(answered);
                        if (request != null) {
                            kafka.sendAsync(Topics.CSR_REQUESTS, request.requester(), request);
                            retries++;
                        }
                    }
                    kafka.flush();
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        void flood(boolean on) {
            flooding = on;
        }

        void awaitAnswered(int count, Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (results.answered() < count && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertTrue(results.answered() >= count, "answered: " + results.answered());
        }

        List<CsrSubmitted> sent() {
            synchronized (sent) {
                return List.copyOf(sent);
            }
        }

        int retries() {
            return retries;
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join();
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Returns the serial numbers issued. */
    private static Set<String> assertOneCertificatePerRequest(List<CsrSubmitted> requests, ResultCollector results)
            throws Exception {
        Set<String> allSerials = new HashSet<>();
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (CsrSubmitted request : requests) {
            List<IssuanceResult> answers = results.answersTo(request.requestId());
            Set<String> serials = new HashSet<>();
            for (IssuanceResult answer : answers) {
                assertEquals(IssuanceResult.Outcome.ISSUED, answer.outcome(), answer.reason());
                serials.add(answer.serialNumber());
                X509Certificate certificate = (X509Certificate) x509.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(answer.certificate())));
                certificate.verify(ca.getPublicKey()); // the CA whose key is in the HSM
            }
            assertEquals(1, serials.size(), "request " + request.requestId() + " got " + serials);
            allSerials.addAll(serials);
        }
        assertEquals(requests.size(), allSerials.size(), "serial numbers are never reused");
        return allSerials;
    }

    private static List<CsrSubmitted> requests(int count, String prefix) {
        List<CsrSubmitted> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String device = prefix + "-" + i + "-" + System.nanoTime();
            requests.add(new CsrSubmitted(UUID.randomUUID().toString(), "requester-" + (i % 16), "", "simpleenroll",
                    Base64.getEncoder().encodeToString(TestCsrs.csr(device, TestCsrs.ecP256())), Instant.now()));
        }
        return requests;
    }

    private static Set<String> issuedSerials(Path log) throws IOException {
        Set<String> serials = new HashSet<>();
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("issued serial ");
            if (at >= 0) {
                serials.add(line.substring(at + 14).split(" ")[0]);
            }
        }
        return serials;
    }

    private static void awaitReady(String url, Process process) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        var http = java.net.http.HttpClient.newHttpClient();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                fail("the second signer exited");
            }
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        fail("the second signer was not ready in 120 s");
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, process.waitFor(), String.join(" ", command));
    }

    /** Reads every committed result from the end of the topic as it was when created. */
    private static final class ResultCollector implements AutoCloseable {
        private final Map<String, List<IssuanceResult>> byRequest = new ConcurrentHashMap<>();
        private final java.util.Queue<String> firstAnswers = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        ResultCollector() {
            var properties = new java.util.Properties();
            properties.put("bootstrap.servers", KafkaTestClient.bootstrapServers());
            properties.put("enable.auto.commit", "false");
            properties.put("isolation.level", "read_committed");
            consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ISSUANCE_RESULTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(this::run, "result-collector");
            thread.start();
        }

        private void run() {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        IssuanceResult result = KafkaTestClient.JSON.readValue(record.value(), IssuanceResult.class);
                        byRequest.computeIfAbsent(result.requestId(), id -> {
                            firstAnswers.add(id);
                            return new java.util.concurrent.CopyOnWriteArrayList<>();
                        }).add(result);
                    } catch (IOException e) {
                        // not a result
                    }
                }
            }
            consumer.close();
        }

        void awaitDistinct(List<CsrSubmitted> requests, int atLeast, Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                long answered = requests.stream().filter(r -> byRequest.containsKey(r.requestId())).count();
                if (answered >= atLeast) {
                    return;
                }
                Thread.sleep(200);
            }
            Map<String, Integer> missing = new HashMap<>();
            requests.stream().filter(r -> !byRequest.containsKey(r.requestId()))
                    .forEach(r -> missing.put(r.requestId(), 0));
            fail("only " + (requests.size() - missing.size()) + " of " + requests.size() + " answered; wanted "
                    + atLeast);
        }

        /** How many requests have been answered. */
        int answered() {
            return byRequest.size();
        }

        /** The next request answered for the first time, in the order read; null when there is none yet. */
        String nextFirstAnswered() {
            return firstAnswers.poll();
        }

        List<IssuanceResult> answersTo(String requestId) {
            return byRequest.getOrDefault(requestId, List.of());
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
