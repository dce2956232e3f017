package io.estuary.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time used by each part of the local stack, from {@code /proc} (Linux): where an enrollment's CPU goes, per
 * process, across a row. Processes are told apart by their command lines; a process that starts or ends inside a row
 * is counted from when it is first seen.
 */
final class ProcessCpu {
    /** Linux reports process times in USER_HZ ticks, 100 a second on every mainstream architecture. */
    private static final double MILLIS_PER_TICK = 10.0;
    /**
     * Command-line markers, in the order they are tried (the load generator's class path names other modules), and
     * the part each names.
     */
    private static final List<String[]> PARTS = List.of(
            new String[] { "EnrollmentBenchmark", "load generator" },
            new String[] { "est-frontend", "frontend" },
            new String[] { "ca-signer", "signer" },
            new String[] { "audit-service", "audit" },
            new String[] { "renewal-scheduler", "renewal" },
            new String[] { "kafka.Kafka", "kafka" },
            new String[] { "keycloak", "keycloak" },
            new String[] { "postgres", "postgresql" });

    private ProcessCpu() {
    }

    /** Whether this machine has {@code /proc} process times to read. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** CPU milliseconds used so far, by part (processes of none of the parts are left out). */
    static Map<String, Double> snapshot() {
        Map<String, Double> used = new TreeMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                String part = partOf(p);
                if (part != null) {
                    used.merge(part, ticks(p) * MILLIS_PER_TICK, Double::sum);
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return used;
    }

    /** Milliseconds of CPU per enrollment, by part, between two snapshots; "all" is their sum. */
    static Map<String, Double> perEnrollment(Map<String, Double> before, Map<String, Double> after, long enrollments) {
        Map<String, Double> per = new LinkedHashMap<>();
        if (enrollments <= 0) {
            return per;
        }
        double all = 0;
        for (String[] part : PARTS) {
            double used = after.getOrDefault(part[1], 0.0) - before.getOrDefault(part[1], 0.0);
            per.put(part[1], used / enrollments);
            all += used;
        }
        per.put("all", all / enrollments);
        return per;
    }

    static List<String> partNames() {
        return PARTS.stream().map(p -> p[1]).toList();
    }

    private static String partOf(Path process) {
        try {
            String command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
            for (String[] part : PARTS) {
                if (command.contains(part[0])) {
                    return part[1];
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended
        }
        return null;
    }

    private static long ticks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the
            // 14th and 15th fields of the line, the 12th and 13th after ") ".
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
