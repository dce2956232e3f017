package io.estuary.audit.command;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Arrays;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.audit.domain.ChainVerification;
import io.estuary.audit.domain.Checkpoint;
import io.estuary.audit.domain.InvalidQueryException;
import io.estuary.audit.domain.VerificationLock;
import io.estuary.audit.messaging.AuditReplay;
import io.estuary.audit.service.ChainVerificationService;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Without arguments: the audit service. With {@code replay}: rebuilds the configured (empty) store from the start of
 * the topics, prints the chain head and exits. With {@code verify [--after N --after-hash H]}: recomputes the chain (or
 * only the records after a checkpoint), up to the head as it was at the start, a page at a time; prints progress and
 * the figures on standard error and the result on standard output; exits 0 when intact, 1 when broken, 2 on bad
 * arguments, 3 when another verification runs on the store. The commands consume nothing live and serve no HTTP.
 */
@QuarkusMain
public class AuditMain {
    static final String USAGE = "usage: audit-service [replay | verify [--after SEQUENCE --after-hash HASH]]";

    public static void main(String... args) {
        if (args.length == 0) {
            Quarkus.run(args);
            return;
        }
        if (!args[0].equals("replay") && !args[0].equals("verify")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        System.setProperty("estuary.audit.consumer.enabled", "false");
        System.setProperty("quarkus.http.host-enabled", "false");
        // No API, so no bearer tokens to check: the commands neither need nor wait for Keycloak.
        System.setProperty("quarkus.oidc.tenant-enabled", "false");
        Quarkus.run(Command.class, (code, failure) -> {
            if (failure != null) {
                System.err.println("audit " + args[0] + " failed: " + failure.getMessage());
            }
            System.exit(code);
        }, args);
    }

    public static class Command implements QuarkusApplication {
        private static final long REPORT_EVERY = 100_000;

        @Inject
        AuditReplay replay;
        @Inject
        ChainVerificationService verification;
        @Inject
        VerificationLock lock;
        @Inject
        ObjectMapper json;

        @Override
        public int run(String... args) throws Exception {
            Checkpoint from;
            try {
                from = checkpoint(args);
            } catch (InvalidQueryException e) {
                System.err.println(e.getMessage() + "\n" + USAGE);
                return 2;
            }
            if (args[0].equals("replay")) {
                long written = replay.replayIntoEmptyStore();
                System.err.println("replayed " + written + " records");
            }
            try (VerificationLock.Held held = lock.tryAcquire()) {
                if (held == null) {
                    System.err.println("a chain verification is already running on this store (the service, or"
                            + " another audit verify); run this one when it ends");
                    return 3;
                }
                long started = System.nanoTime();
                ChainVerification result = verification.verify(from, new ChainVerificationService.Progress() {
                    private long through;
                    private long reported;

                    @Override
                    public void started(long throughSequence) {
                        through = throughSequence;
                        System.err.printf("verifying records %d to %d%n", from.sequence() + 1, through);
                    }

                    @Override
                    public void verified(long checked, long headSequence, String headHash) {
                        if (checked - reported >= REPORT_EVERY) {
                            reported = checked;
                            System.err.printf("verified up to %d of %d (%d records)%n", headSequence, through,
                                    checked);
                        }
                    }
                });
                double seconds = (System.nanoTime() - started) / 1e9;
                System.err.printf("checked %d records in %.1f s: %.0f records/s; %s%n", result.checked(), seconds,
                        result.checked() / Math.max(seconds, 1e-9), heap());
                System.out.println(json.writeValueAsString(result));
                return result.valid() ? 0 : 1;
            }
        }

        private static Checkpoint checkpoint(String[] args) {
            String after = null;
            String afterHash = null;
            String[] options = Arrays.copyOfRange(args, 1, args.length);
            for (int i = 0; i < options.length; i++) {
                boolean valued = i + 1 < options.length;
                switch (options[i]) {
                    case "--after" -> after = valued ? options[++i] : "";
                    case "--after-hash" -> afterHash = valued ? options[++i] : "";
                    default -> throw new InvalidQueryException("unknown argument: " + options[i]);
                }
            }
            if (args[0].equals("replay") && (after != null || afterHash != null)) {
                throw new InvalidQueryException("a replay verifies its whole chain: no checkpoint");
            }
            return Checkpoint.parse(after, afterHash);
        }

        /** The heap's use: the sum of each pool's peak (an upper bound) and what the last collections left. */
        private static String heap() {
            long peak = 0;
            long afterCollection = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                    MemoryUsage collected = pool.getCollectionUsage();
                    afterCollection += collected == null ? 0 : collected.getUsed();
                }
            }
            long max = Runtime.getRuntime().maxMemory();
            return String.format("heap: peak used at most %d MiB, %d MiB after the last collection, of %d MiB",
                    peak >> 20, afterCollection >> 20, max >> 20);
        }
    }
}
