package io.estuary.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;


import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.pki.token.NativeCrypto;
import io.estuary.pki.wire.Base64Body;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestCsrs;

/**
 * Enrolls through the real HTTPS frontend with pre-generated, distinct CSRs (a repeated CSR would be answered from the
 * retry cache), at each concurrency, over kept-alive connections, with a new TLS connection and a full handshake per
 * request, and with a new TLS connection per request that resumes the previous session, each for a fixed duration;
 * after the kept-alive row at the retry concurrency, the same CSRs again (a retry storm within the retry window); then
 * measures the signer alone through Kafka and the HSM. Prints a markdown table and writes it to a file. A plain
 * HTTP/1.1 client over blocking sockets keeps the client's own cost small and makes "new connection per request"
 * exact; its TLS is BoringSSL's by default, as in devices' OpenSSL-based clients ({@code --client-tls jdk}: JSSE).
 * <p>
 * {@code --after-restart} measures one row only, at once and without warm-up: what a freshly started stack serves
 * ({@code deploy/estuary bench --after-restart} restarts the services first).
 * <p>
 * With several ports (several frontends on the one host), worker n enrolls through port n modulo their number, so each
 * frontend gets an equal share of the connections. {@code --stack} describes the stack measured for the results
 * ("2 frontends, 2 signers"). With {@code --credentials FILE} ("user:password" a line) worker n enrolls with the n-th
 * credential modulo their number.
 *
 * <pre>
 * EnrollmentBenchmark --host localhost --port 8443[,8444...] --trust tls-trust-anchor.pem --user U --password P
 *                     [--duration PT20S]  (the password may come from ESTUARY_DEMO_PASSWORD instead)
 *                     [--concurrency 1,8,32,128] [--connections kept-alive,new,resumed] [--signer-requests 3000]
 *                     [--retry-concurrency 32] [--intervals PT10S] [--max-csrs 200000] [--warmup PT10M]
 *                     [--after-restart "ready 41 s after services-up"] [--stack "1 frontend, 1 signer"]
 *                     [--credentials user-password-lines.txt] [--client-tls openssl|jdk]
 *                     [--out bench.md]
 * </pre>
 */
public final class EnrollmentBenchmark {
    private static final String PATH = "/.well-known/est/simpleenroll";

    /** How a row's requests reach the frontend, and what they send. */
    enum Mode {
        KEPT_ALIVE("kept alive", true),
        /** A full handshake every time: what a client without a session cache does (IoT Edge's one per call). */
        NEW("new TLS per request", false),
        /** A new connection per request that resumes the session of the one before (a TLS 1.3 ticket or 1.2 id). */
        RESUMED("new TLS, resumed session", false),
        /** The CSRs of the kept-alive row before, sent again over kept-alive connections: a retry storm. */
        RETRY("kept alive, retries", true),
        /** The first row after the services started, without warm-up or waiting for the stack to settle. */
        AFTER_RESTART("kept alive, after restart", true);

        final String label;
        final boolean keepAlive;

        Mode(String label, boolean keepAlive) {
            this.label = label;
            this.keepAlive = keepAlive;
        }
    }

    private final String host;
    /** The frontends' ports; worker n connects to the n-th modulo their number. */
    private final int[] ports;
    /** The trust anchor; each worker has a TLS client of its own ({@link WorkerTls}), so it resumes only its own sessions. */
    private final Path trust;
    /** HTTP Basic credentials; worker n enrolls with the n-th modulo their number. */
    private final List<String> authorizations;
    /** When set, the throughput of every interval of each row is printed too (is it flat over a long run?). */
    private Duration interval;
    private final StringBuilder series = new StringBuilder();
    private final StringBuilder cpuRows = new StringBuilder();
    /** How many processes each part of the stack had at the end of the last row. */
    private Map<String, Integer> processCounts = Map.of();
    private int maxCsrs = 200_000;
    /** The workers' TLS library: {@code openssl} (BoringSSL, as devices' OpenSSL-based clients) or {@code jdk}. */
    private String clientTls = "openssl";
    private Path latencyLog;

    private EnrollmentBenchmark(String host, int[] ports, Path trust, List<String> authorizations) {
        this.host = host;
        this.ports = ports;
        this.trust = trust;
        this.authorizations = authorizations;
    }

    public static void main(String[] args) throws Exception {
        // The load generator's own TLS through AWS-LC too: the machine it shares with the stack is the yardstick, so
        // the less of it the client takes, the more the figures say about Estuary.
        io.estuary.pki.token.NativeCrypto.installFirst();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String host = options.getOrDefault("host", "localhost");
        int[] ports = Arrays.stream(options.getOrDefault("port", "8443").split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();
        Duration duration = Duration.parse(options.getOrDefault("duration", "PT20S"));
        int[] levels = Arrays.stream(options.getOrDefault("concurrency", "1,8,32,128").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Path out = Path.of(options.getOrDefault("out", "bench-results.md"));
        // --intervals PT10S: throughput per interval as well; --max-csrs: the pool for long runs (memory and set-up).
        Duration interval = options.containsKey("intervals") ? Duration.parse(options.get("intervals")) : null;
        int maxCsrs = Integer.parseInt(options.getOrDefault("max-csrs", "200000"));
        // --credentials FILE: "user:password" a line, one per worker in turn. The request topic is keyed by requester,
        // so a fleet's many credentials spread over its partitions (and signers), where one would use one of them.
        List<String> credentials = options.containsKey("credentials")
                ? Files.readAllLines(Path.of(options.get("credentials"))).stream().map(String::strip)
                        .filter(line -> !line.isEmpty()).toList()
                : List.of(options.getOrDefault("user", "estuary-demo") + ":"
                        + options.getOrDefault("password", System.getenv("ESTUARY_DEMO_PASSWORD")));
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("no credentials in " + options.get("credentials"));
        }
        EnrollmentBenchmark bench = new EnrollmentBenchmark(host, ports, Path.of(options.get("trust")),
                credentials.stream().map(c -> "Basic " + Base64.getEncoder().encodeToString(
                        c.getBytes(StandardCharsets.UTF_8))).toList());
        bench.interval = interval;
        bench.maxCsrs = maxCsrs;
        // --client-tls openssl|jdk: the workers' TLS; a library that does not load fails here, before any row.
        bench.clientTls = options.getOrDefault("client-tls", "openssl");
        WorkerTls.of(bench.clientTls, bench.trust, true);
        // --latency-log FILE: every measured enrollment's start and latency, to see whether slow ones come together.
        bench.latencyLog = options.containsKey("latency-log") ? Path.of(options.get("latency-log")) : null;

        StringBuilder table = new StringBuilder();
        table.append("| connections | concurrency | enrollments/s | p50 ms | p95 ms | p99 ms | ok | errors | TLS "
                + "handshakes resumed |\n");
        table.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        System.out.print(table);
        String machine = Runtime.getRuntime().availableProcessors() + " cores (" + MachineReference.processor() + "), "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        // What was measured: how many frontends and signers, and the ports the workers were spread over.
        String stack = "whole local stack on the same machine" + (options.containsKey("stack")
                ? " (" + options.get("stack") + ")" : "") + (ports.length > 1 ? ", the workers spread over the "
                + "frontends on ports " + Arrays.stream(ports).mapToObj(Integer::toString)
                        .reduce((a, b) -> a + ", " + b).get() : "") + ", the load generator's TLS in "
                + ("jdk".equals(bench.clientTls) ? "the JDK (JSSE)" : "BoringSSL");
        if (options.containsKey("after-restart")) {
            // At once: the stack has just become ready, and what it serves now is the measurement.
            int concurrency = levels[levels.length - 1];
            String row = bench.run(Mode.AFTER_RESTART, concurrency, duration, table, null, null);
            System.out.print(row);
            Files.writeString(out, "Measured " + Instant.now() + " on " + machine + ", " + stack + ", the first " + duration.toSeconds() + " s after the services started ("
                    + options.get("after-restart") + "), no load before it.\n\n" + table + bench.cpuTable() + "\n");
            System.out.println("written to " + out);
            return;
        }
        // Warm-up, not reported: the services' JIT compilers take minutes of load to settle on this many classes, and
        // a row measured before that measures the compiler.
        Duration warmup = Duration.parse(options.getOrDefault("warmup", "PT10M"));
        if (!warmup.isZero()) {
            System.err.printf("warming up for %s (--warmup)%n", warmup);
            // In passes of at most --max-csrs distinct CSRs each: a pass ends early when its pool runs out (a repeated
            // CSR would be answered from the retry cache, which warms nothing), and the next gets a fresh pool.
            Instant warmEnd = Instant.now().plus(warmup);
            for (Duration left = warmup; !left.isNegative() && !left.isZero(); left = Duration.between(Instant.now(),
                    warmEnd)) {
                bench.run(Mode.KEPT_ALIVE, 32, left, new StringBuilder(), null, null);
            }
        }
        // --connections kept-alive,new,resumed (default all three): which connection modes to measure.
        List<String> modes = Arrays.asList(options.getOrDefault("connections", "kept-alive,new,resumed").split(","));
        // The retry row follows the kept-alive row of this concurrency (32, or the highest measured below it); a
        // concurrency not measured (--retry-concurrency 0) leaves it out.
        int retryConcurrency = Integer.parseInt(options.getOrDefault("retry-concurrency", Integer.toString(
                Arrays.stream(levels).filter(c -> c <= 32).max().orElse(levels[0]))));
        for (Mode mode : List.of(Mode.KEPT_ALIVE, Mode.NEW, Mode.RESUMED)) {
            if (!modes.contains(mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))) {
                continue;
            }
            for (int concurrency : levels) {
                boolean retried = mode == Mode.KEPT_ALIVE && concurrency == retryConcurrency;
                ConcurrentLinkedQueue<byte[]> enrolled = retried ? new ConcurrentLinkedQueue<>() : null;
                String row = bench.run(mode, concurrency, duration, table, null, enrolled);
                System.out.print(row);
                if (retried) {
                    // The same requests again, at once (within the retry window): each is answered with the
                    // certificate already issued, none signed again.
                    System.out.print(bench.run(Mode.RETRY, concurrency, duration, table, enrolled, null));
                }
            }
        }
        int signerRequests = Integer.parseInt(options.getOrDefault("signer-requests", "3000"));
        String signer = signerRequests > 0 ? signerOnly(signerRequests) : "Signer alone: not measured (--signer-requests 0).";
        String cpuTable = bench.cpuTable();
        System.out.print(cpuTable);
        System.out.println();
        System.out.println(signer);
        String overTime = bench.series.isEmpty() ? "" : "\nThroughput over time (enrollments completed so far, rate in "
                + "each " + interval.toSeconds() + " s):\n\n| row | at | completed | per second |\n| --- | --- | --- | --- |\n"
                + bench.series;
        Files.writeString(out, "Measured " + Instant.now() + " on " + machine + ", " + stack + ", "
                + duration.toSeconds() + " s per row after " + warmup.toSeconds() + " s of warm-up.\n\n"
                + table + cpuTable + "\n" + signer + "\n" + overTime);
        System.out.println("written to " + out);
    }

    /**
     * One row: {@code concurrency} workers enrolling for {@code duration}, with {@code pool} (a fresh pool of distinct
     * CSRs when null); the CSRs enrolled go to {@code enrolled} when it is given.
     */
    private String run(Mode mode, int concurrency, Duration duration, StringBuilder table,
            ConcurrentLinkedQueue<byte[]> pool, ConcurrentLinkedQueue<byte[]> enrolled) throws Exception {
        boolean reported = !table.isEmpty(); // the warm-up passes an empty table
        boolean keepAlive = mode.keepAlive;
        // Enough distinct CSRs for a generous rate (a fast 2-core machine serves about 2,100/s); generated before
        // the clock starts.
        int needed = (int) Math.min(maxCsrs, Math.max(4_000, duration.toSeconds() * 4_000));
        ConcurrentLinkedQueue<byte[]> csrs = pool != null ? pool : new ConcurrentLinkedQueue<>(csrs(needed));
        LongAdder handshakes = new LongAdder();
        LongAdder resumed = new LongAdder();
        LongAdder ok = new LongAdder();
        ErrorCounts errors = new ErrorCounts();
        List<long[]> latencies = new ArrayList<>();
        List<long[]> starts = new ArrayList<>();
        System.err.printf("measuring %s, concurrency %d, for %s%n", mode.label, concurrency, duration);
        List<Thread> workers = new ArrayList<>();
        AtomicInteger exhausted = new AtomicInteger();
        Instant[] end = new Instant[1]; // set when the row starts, after the stack has settled
        for (int w = 0; w < concurrency; w++) {
            long[] mine = new long[200_000];
            long[] startedAt = new long[mine.length];
            latencies.add(mine);
            starts.add(startedAt);
            int index = w;
            int port = ports[w % ports.length];
            String authorization = authorizations.get(w % authorizations.size());
            WorkerTls tls = WorkerTls.of(clientTls, trust, mode != Mode.NEW);
            Thread worker = new Thread(() -> {
                int count = 0;
                HttpConnection connection = null;
                while (Instant.now().isBefore(end[0])) {
                    byte[] csr = csrs.poll();
                    if (csr == null) {
                        exhausted.incrementAndGet();
                        break;
                    }
                    long start = System.nanoTime();
                    try {
                        if (connection == null || !keepAlive) {
                            if (connection != null) {
                                connection.close();
                            }
                            connection = tls.connect(host, port);
                            handshakes.increment();
                            if (connection.resumed) {
                                resumed.increment();
                            }
                        }
                        int status = connection.post(PATH, authorization, "application/pkcs10", csr, keepAlive).status();
                        if (status == 200) {
                            ok.increment();
                            if (enrolled != null) {
                                enrolled.add(csr);
                            }
                            if (count < mine.length) {
                                startedAt[count] = start;
                                mine[count++] = System.nanoTime() - start;
                            }
                        } else {
                            errors.count(Integer.toString(status));
                        }
                    } catch (IOException e) {
                        errors.failed(connection, e);
                        connection = null;
                    }
                }
                if (connection != null) {
                    connection.close();
                }
                mine[mine.length - 1] = count; // the last slot carries the count
            }, "bench-" + index);
            workers.add(worker);
        }
        double reference = 0;
        if (reported && mode != Mode.AFTER_RESTART) {
            awaitQuiet();
            reference = MachineReference.sha256MegabytesPerSecond();
            System.err.printf("machine reference: SHA-256 at %.0f MB/s on one core%n", reference);
        }
        ProcessCpu.Sample cpuBefore = ProcessCpu.snapshot();
        double machineBefore = ProcessCpu.machineBusyMillis();
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();
        end[0] = started.plus(duration);
        if (reported) {
            // A mark for tools sampling the stack alongside (GC counters, profilers): the measured time starts now.
            System.err.printf("row started at %s%n", started);
        }
        workers.forEach(Thread::start);
        Thread reporter = interval == null || !reported ? null : new Thread(() -> {
            long previous = 0;
            try {
                for (long at = interval.toMillis(); ; at += interval.toMillis()) {
                    Thread.sleep(Math.max(0, started.toEpochMilli() + at - System.currentTimeMillis()));
                    long now = ok.sum();
                    String line = String.format("| %s c=%d | %d s | %d | %.0f |%n", mode.label, concurrency,
                            at / 1000, now, (now - previous) * 1000.0 / interval.toMillis());
                    series.append(line);
                    System.err.print(line);
                    previous = now;
                }
            } catch (InterruptedException e) {
                // the row is over
            }
        }, "interval-reporter");
        if (reporter != null) {
            reporter.setDaemon(true);
            reporter.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (reporter != null) {
            reporter.interrupt();
        }
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        ProcessCpu.Sample cpuAfter = ProcessCpu.snapshot();
        double machineBusy = ProcessCpu.machineBusyMillis() - machineBefore;
        Map<String, Double> cpu = ProcessCpu.perEnrollment(cpuBefore, cpuAfter, ok.sum());
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 0, (int) l[l.length - 1])).sorted()
                .toArray();
        if (latencyLog != null && reported) {
            writeLatencyLog(mode, concurrency, startedNanos, starts, latencies);
        }
        String errorText = errors.toString();
        if (exhausted.get() > 0 && mode != Mode.RETRY) {
            // A retry row ends once every request of the row before was sent again: its pool is that row's.
            errorText += " (CSR pool exhausted)";
        }
        String row = String.format("| %s | %d | %.0f | %.1f | %.1f | %.1f | %d | %s | %s |%n",
                mode.label, concurrency, ok.sum() / seconds,
                percentile(all, 50), percentile(all, 95), percentile(all, 99), ok.sum(), errorText,
                String.format("%d of %d", resumed.sum(), handshakes.sum()));
        table.append(row);
        if (!cpu.isEmpty() && reported) {
            cpuRows.append(String.format("| %s | %d |", mode.label, concurrency));
            cpu.values().forEach(ms -> cpuRows.append(String.format(" %.3f |", ms)));
            // The cores in use over the row: the stack's processes, then the whole machine (whatever runs on it).
            double stackCores = cpu.get("all") * ok.sum() / seconds / 1000;
            String machineCores = machineBefore < 0 ? "–" : String.format("%.2f", machineBusy / seconds / 1000);
            cpuRows.append(String.format(" %.0f | %.2f | %s |%n", reference, stackCores, machineCores));
            processCounts = ProcessCpu.processCounts(cpuAfter);
        }
        return row;
    }

    /** Appends one line per enrollment of the row: its mode and concurrency, when it started (ms into the row), its latency (ms). */
    private void writeLatencyLog(Mode mode, int concurrency, long rowStart, List<long[]> starts,
            List<long[]> latencies) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int w = 0; w < latencies.size(); w++) {
            long[] latency = latencies.get(w);
            for (int i = 0; i < (int) latency[latency.length - 1]; i++) {
                lines.append(mode.name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(concurrency).append(' ')
                        .append(String.format("%.3f %.3f", (starts.get(w)[i] - rowStart) / 1e6, latency[i] / 1e6))
                        .append('\n');
            }
        }
        Files.writeString(latencyLog, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Waits (two minutes at most) until the stack is nearly idle: the audit trail and the renewal tracker lag behind
     * a busy row at their lower priority and catch up after it, and a row measured meanwhile shares the CPU with them.
     */
    static void awaitQuiet() throws InterruptedException {
        if (!ProcessCpu.available()) {
            return;
        }
        Instant deadline = Instant.now().plusSeconds(120);
        Instant start = Instant.now();
        ProcessCpu.Sample before = ProcessCpu.snapshot();
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            ProcessCpu.Sample now = ProcessCpu.snapshot();
            double busy = ProcessCpu.used(before, now).values().stream().mapToDouble(Double::doubleValue).sum();
            if (busy < 150) { // ms of CPU in the last second, all processes of the stack
                long waited = Duration.between(start, Instant.now()).toSeconds();
                if (waited > 1) {
                    System.err.printf("waited %d s for the stack to settle%n", waited);
                }
                return;
            }
            before = now;
        }
        System.err.println("the stack did not settle within 120 s; measuring anyway");
    }

    /** Where the CPU went, per enrollment, by process: a profile of the whole stack for every row. */
    private String cpuTable() {
        if (cpuRows.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>(ProcessCpu.partNames());
        parts.add("all");
        // The services' processes (PostgreSQL's come and go with its backends).
        String counts = processCounts.entrySet().stream()
                .filter(e -> !e.getKey().equals("postgresql") && !e.getKey().equals("load generator"))
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("none");
        return "\nCPU milliseconds per enrollment, by process (from /proc, over each row; the processes of one part "
                + "summed, at the end of the last row: " + counts + "), the machine's speed just before the row "
                + "(SHA-256 MB/s on one core of the idle machine: this VM's speed moves within minutes), and the cores "
                + "busy over the row, the stack's processes and the whole machine's (/proc/stat; as many as it has "
                + "means the machine was the limit):\n\n"
                + "| connections | concurrency | " + String.join(" | ", parts)
                + " | machine MB/s | stack cores | machine cores |\n"
                + "| --- | --- |" + " --- |".repeat(parts.size() + 3) + "\n" + cpuRows;
    }

    /** The signer alone: requests published straight to Kafka, certificates per second back through the HSM. */
    private static String signerOnly(int count) throws Exception {
        LongAdder issued = new LongAdder();
        Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
        double seconds = signDirectly(csrs(count), r -> {
            if (r.issued()) {
                issued.increment();
            } else {
                rejected.computeIfAbsent(r.reason(), k -> new LongAdder()).increment();
            }
        }, Duration.ofMinutes(5));
        if (!rejected.isEmpty()) {
            // A rejection costs no HSM signature: a figure that counted them would measure nothing.
            throw new IllegalStateException("the signer rejected requests of the signer-alone run: " + rejected);
        }
        return String.format("Signer alone (Kafka in, HSM signature, Kafka out): %d certificates in %.1f s = "
                + "%.0f certificates/s", issued.sum(), seconds, issued.sum() / seconds);
    }

    /**
     * Publishes one request per CSR straight to the CSR topic (past the frontend) and hands the signer's answer to each
     * to {@code answers}; returns the seconds from the first request to the last answer.
     */
    static double signDirectly(List<byte[]> csrs, java.util.function.Consumer<IssuanceResult> answers,
            Duration timeout) throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<CsrSubmitted> requests = new ArrayList<>();
        for (int i = 0; i < csrs.size(); i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            // The pool holds HTTP bodies (base64 already); the event carries the CSR as compact base64.
            requests.add(new CsrSubmitted(id, "bench-" + (i % 32), "", "simpleenroll",
                    Base64Body.compact(Base64Body.decode(new String(csrs.get(i), StandardCharsets.US_ASCII))),
                    Instant.now()));
        }
        try (KafkaTestClient kafka = new KafkaTestClient();
                KafkaTestClient.Tail results = kafka.tail(Topics.ISSUANCE_RESULTS)) {
            Instant start = Instant.now();
            for (CsrSubmitted request : requests) {
                kafka.sendAsync(Topics.CSR_REQUESTS, request.requester(), request);
            }
            kafka.flush();
            results.await(IssuanceResult.class, r -> {
                if (ids.remove(r.requestId())) {
                    answers.accept(r);
                }
                return ids.isEmpty();
            }, timeout);
            return Duration.between(start, Instant.now()).toMillis() / 1000.0;
        }
    }

    static List<byte[]> csrs(int count) {
        // A few keys, many subjects: distinct CSRs at a fraction of the cost of a key pair each.
        KeyPair[] keys = new KeyPair[16];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = TestCsrs.ecP256();
        }
        String run = Long.toString(System.nanoTime(), 36);
        // AWS-LC signs several times faster than Bouncy Castle: a million CSRs for a long run take a minute, not five.
        java.security.Provider signer = io.estuary.pki.token.NativeCrypto.provider()
                .orElseGet(org.bouncycastle.jce.provider.BouncyCastleProvider::new);
        return java.util.stream.IntStream.range(0, count).parallel()
                .mapToObj(i -> Base64Body.encode(
                        TestCsrs.csr("bench-" + run + "-" + i, keys[i % keys.length], signer))
                        .getBytes(StandardCharsets.US_ASCII))
                .toList();
    }

    static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }
}
