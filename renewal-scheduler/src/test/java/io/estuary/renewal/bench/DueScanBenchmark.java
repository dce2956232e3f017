package io.estuary.renewal.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.estuary.contracts.RenewalStatusChanged.Status;
import io.estuary.renewal.repository.CertificateRepository;
import io.estuary.renewal.repository.RenewalSchema;
import io.estuary.renewal.service.RenewalScanner;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The due-scan over a fleet of one million tracked devices, with the production schema, SQL and scanner. Not a test:
 * run it with {@code renewal-scheduler/bench/due-scan} (it prints its figures; nothing is asserted).
 *
 * <p>The fleet: every device's current certificate lives 30 days, their notBefore spread evenly over the last 30 days,
 * renewal at 80% and a one-day grace. The scheduler is in steady state (events up to a few minutes ago already sent),
 * plus a burst of devices whose renewal point has just passed and whose DUE event is still to be published. The
 * publisher discards events, so the figures are the database's share; Kafka acknowledgements come on top.
 */
public final class DueScanBenchmark {
    public static void main(String[] args) {
        int devices = Integer.parseInt(env("BENCH_DEVICES", "1000000"));
        int burst = Integer.parseInt(env("BENCH_BURST", "10000"));
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(new PgConnectOptions().setHost(env("ESTUARY_DB_HOST", "127.0.0.1"))
                        .setPort(Integer.parseInt(env("ESTUARY_DB_PORT", "5432")))
                        .setDatabase(env("BENCH_DB", "estuary_bench")).setUser(env("BENCH_DB_USER", "estuary_bench"))
                        .setPassword(System.getenv("BENCH_DB_PASSWORD")))
                .using(vertx).build();
        try {
            run(pool, devices, burst);
        } finally {
            pool.closeAndAwait();
            vertx.closeAndAwait();
        }
    }

    private static void run(Pool pool, int devices, int burst) {
        Instant now = Instant.now();
        System.out.printf("fleet: %,d devices (30-day certificates, 80%%, 1-day grace), burst of %,d newly due%n",
                devices, burst);
        execute(pool, "DROP TABLE IF EXISTS renewal_certificate, renewal_label_devices");
        RenewalSchema.create(pool).await().indefinitely();

        long start = System.nanoTime();
        // Generated inside PostgreSQL: the load is not what is measured. Steady state: everything whose point
        // passed more than ten minutes ago was already published.
        execute(pool, """
                INSERT INTO renewal_certificate (serial_number, device_id, label, not_before, not_after, renew_at,
                  overdue_at, tracked_at, due_sent_at, overdue_sent_at, expired_sent_at)
                SELECT 'bench-' || i, 'device-' || i, CASE WHEN i % 10 = 0 THEN 'edge-ca' ELSE '' END, nb, nb + life,
                  nb + life * 0.8, nb + life * 0.8 + interval '1 day', $1,
                  CASE WHEN nb + life * 0.8 < $1 - interval '10 minutes' THEN $1 END,
                  CASE WHEN nb + life * 0.8 + interval '1 day' < $1 - interval '10 minutes' THEN $1 END,
                  NULL
                FROM (SELECT i, interval '30 days' AS life, $1 - interval '30 days' * (i::float8 / $2) AS nb
                      FROM generate_series(1, $2) AS i) AS fleet""",
                Tuple.of(utc(now), devices));
        // The burst: renewal point a second ago, nothing sent yet.
        execute(pool, "UPDATE renewal_certificate SET renew_at = $1 - interval '1 second', due_sent_at = NULL,"
                + " overdue_at = $1 + interval '1 day' WHERE serial_number IN"
                + " (SELECT 'bench-' || i FROM generate_series(1, $2) AS i)", Tuple.of(utc(now), burst));
        RenewalSchema.recountDevices(pool).await().indefinitely(); // the fleet was written around the tracker
        execute(pool, "VACUUM ANALYZE renewal_certificate");
        System.out.printf("load: %.1f s (generated in PostgreSQL, then VACUUM ANALYZE)%n", seconds(start));

        System.out.println("plan of the DUE claim (the index it uses):");
        for (Row row : pool.preparedQuery("EXPLAIN SELECT serial_number FROM renewal_certificate"
                + " WHERE superseded_at IS NULL AND due_sent_at IS NULL AND renew_at <= $1 ORDER BY renew_at"
                + " LIMIT 200 FOR UPDATE SKIP LOCKED").execute(Tuple.of(utc(now))).await().indefinitely()) {
            System.out.println("  " + row.getString(0));
        }

        CertificateRepository repository = new CertificateRepository(pool);
        Clock clock = Clock.fixed(now, java.time.ZoneOffset.UTC);
        RenewalScanner scanner = new RenewalScanner(repository, events -> Uni.createFrom().voidItem(), clock, 200);
        long usedBefore = heapUsedAfterGc();

        start = System.nanoTime();
        Map<Status, Integer> burstScan = scanner.scanOnce().await().indefinitely();
        System.out.printf("scan with the burst pending: %.3f s, events %s%n", seconds(start), burstScan);
        long heapPeak = heapUsed();

        for (int pass = 1; pass <= 3; pass++) {
            start = System.nanoTime();
            Map<Status, Integer> idle = scanner.scanOnce().await().indefinitely();
            System.out.printf("steady-state scan %d (nothing pending): %.1f ms, events %s%n", pass,
                    (System.nanoTime() - start) / 1e6, idle);
        }

        start = System.nanoTime();
        var counts = repository.countsByLabel(now).await().indefinitely();
        System.out.printf("fleet summary (gauges, GET /renewals/summary; device counts kept by the tracker, late"
                + " states from the indexes): %.3f s %s%n",
                seconds(start), counts);

        System.out.printf("JVM heap: %.1f MB used after GC before the scan, %.1f MB after the burst scan (before GC),"
                + " %.1f MB after GC%n", mb(usedBefore), mb(heapPeak), mb(heapUsedAfterGc()));
        System.out.printf("JVM process: %s%n", processMemory());
        System.out.println("PostgreSQL sizes:");
        for (Row row : pool.query("SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c"
                + " WHERE c.relname = 'renewal_certificate' OR c.relname IN (SELECT indexname FROM pg_indexes"
                + " WHERE tablename = 'renewal_certificate') ORDER BY 1").execute().await().indefinitely()) {
            System.out.printf("  %-32s %8.1f MB%n", row.getString(0), mb(row.getLong(1)));
        }
        for (Row row : pool.query("SELECT pg_total_relation_size('renewal_certificate')").execute().await()
                .indefinitely()) {
            System.out.printf("  %-32s %8.1f MB%n", "total with indexes and TOAST", mb(row.getLong(0)));
        }
    }

    private static void execute(Pool pool, String sql) {
        pool.query(sql).execute().await().indefinitely();
    }

    private static void execute(Pool pool, String sql, Tuple parameters) {
        pool.preparedQuery(sql).execute(parameters).await().indefinitely();
    }

    private static java.time.OffsetDateTime utc(Instant instant) {
        return instant.atOffset(java.time.ZoneOffset.UTC);
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return heapUsed();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String processMemory() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            return status.stream().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
                    .map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("n/a");
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double mb(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
