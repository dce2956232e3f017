package io.estuary.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time used by each part of the local stack, from {@code /proc} (Linux): where an enrollment's CPU goes, per
 * process, across a row. Processes are told apart by their command lines; the processes of one part (two frontends,
 * PostgreSQL's backends) are summed. The whole machine's busy time ({@code /proc/stat}) tells a stack that has the
 * machine's cores to itself from one that shares them.
 *
 * <p>Usage between two samples is accounted per process, never as a difference of sums: a process that ended between
 * them (PostgreSQL starts and ends backends all the time) would otherwise take its whole CPU time out of the row's
 * figure. A process alive in both samples adds what it used in between; one that started in between adds all it used.
 * One that ended in between is found in its parent: when a parent reaps a child, the kernel adds the child's total to
 * the parent's {@code cutime}/{@code cstime}, so a parent seen in both samples adds how much these grew, less what its
 * children that ended had already used at the first sample (counted in the row before). A child whose parent is no
 * part of the stack, or ended too, is lost: the figure may be a little low, never below zero.
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

    /**
     * One process as {@code /proc/<pid>/stat} shows it: {@code startTime} tells a reused pid from the process that had
     * it; {@code own} is its utime + stime, {@code reaped} its cutime + cstime (children it has waited for), in ticks.
     */
    record Process(String part, long parent, long startTime, long own, long reaped) {
    }

    /** The processes of the stack at one moment, by pid. */
    record Sample(Map<Long, Process> processes) {
    }

    private static final List<String> STACK_MARKERS = stackMarkers();

    private ProcessCpu() {
    }

    /** Whether this machine has {@code /proc} process times to read. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** The processes of the stack now (processes of none of the parts are left out). */
    static Sample snapshot() {
        Map<Long, Process> processes = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                String part = partOf(p);
                if (part != null) {
                    try {
                        processes.put(Long.parseLong(p.getFileName().toString()),
                                parseStat(part, Files.readString(p.resolve("stat"))));
                    } catch (IOException | RuntimeException e) {
                        // the process ended
                    }
                }
            });
        } catch (IOException e) {
            return new Sample(Map.of());
        }
        return new Sample(processes);
    }

    /** A {@code /proc/<pid>/stat} line of a process of the given part. */
    static Process parseStat(String part, String stat) {
        // The command name is in parentheses and may hold spaces and parentheses: the fields start after the last
        // ")". From there (state is the 3rd field of the line): ppid 4th, utime 14th, stime 15th, cutime 16th,
        // cstime 17th, starttime 22nd.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        return new Process(part, Long.parseLong(fields[1]), Long.parseLong(fields[19]),
                Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
    }

    /** How many processes of each part a sample holds, by part. */
    static Map<String, Integer> processCounts(Sample sample) {
        Map<String, Integer> counts = new TreeMap<>();
        sample.processes().values().forEach(p -> counts.merge(p.part(), 1, Integer::sum));
        return counts;
    }

    /**
     * The milliseconds every core of the machine has spent busy since it booted (all processes and the kernel), from
     * {@code /proc/stat}; -1 where it cannot be read.
     */
    static double machineBusyMillis() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            return lines.findFirst().map(ProcessCpu::busyMillis).orElse(-1.0);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The busy time of {@code /proc/stat}'s first line ("cpu user nice system idle iowait irq softirq steal guest
     * guest_nice", in ticks): all but idle and iowait; guest time is inside user time already.
     */
    static double busyMillis(String cpuLine) {
        String[] fields = cpuLine.strip().split("\\s+");
        if (!fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not the all-CPU line of /proc/stat: " + cpuLine);
        }
        long busy = 0;
        for (int i : new int[] { 1, 2, 3, 6, 7, 8 }) { // user nice system (idle iowait) irq softirq steal
            busy += i < fields.length ? Long.parseLong(fields[i]) : 0;
        }
        return busy * MILLIS_PER_TICK;
    }

    /** CPU milliseconds used between two samples, by part; never negative. */
    static Map<String, Double> used(Sample before, Sample after) {
        Map<Long, Long> endedChildrenAtFirst = new HashMap<>();
        before.processes().forEach((pid, was) -> {
            Process is = after.processes().get(pid);
            if (is == null || is.startTime() != was.startTime()) {
                endedChildrenAtFirst.merge(was.parent(), was.own() + was.reaped(), Long::sum);
            }
        });
        Map<String, Double> used = new TreeMap<>();
        after.processes().forEach((pid, is) -> {
            Process was = before.processes().get(pid);
            long ticks;
            if (was == null || was.startTime() != is.startTime()) {
                ticks = is.own() + is.reaped();
            } else {
                long reapedInBetween = is.reaped() - was.reaped() - endedChildrenAtFirst.getOrDefault(pid, 0L);
                ticks = Math.max(0, is.own() - was.own()) + Math.max(0, reapedInBetween);
            }
            used.merge(is.part(), ticks * MILLIS_PER_TICK, Double::sum);
        });
        return used;
    }

    /** Milliseconds of CPU per enrollment, by part, between two samples; "all" is their sum. */
    static Map<String, Double> perEnrollment(Sample before, Sample after, long enrollments) {
        Map<String, Double> per = new LinkedHashMap<>();
        if (enrollments <= 0) {
            return per;
        }
        Map<String, Double> used = used(before, after);
        double all = 0;
        for (String[] part : PARTS) {
            double ms = used.getOrDefault(part[1], 0.0);
            per.put(part[1], ms / enrollments);
            all += ms;
        }
        per.put("all", all / enrollments);
        return per;
    }

    static List<String> partNames() {
        return PARTS.stream().map(p -> p[1]).toList();
    }

    private static String partOf(Path process) {
        try {
            return partOf(new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' '), STACK_MARKERS);
        } catch (IOException | RuntimeException e) {
            return null; // the process ended
        }
    }

    /**
     * The part a command line is of, when it is of this stack: another stack on the machine (another checkout, a test
     * slot) is left out, since it would be counted as this one's CPU and keep "the stack" from ever settling. A
     * command line is this stack's when it names one of {@code stackMarkers} (its checkout, where the services' jars,
     * Kafka's configuration and the load generator's classes are; its state folder, where Keycloak runs from).
     * PostgreSQL is the machine's cluster, shared by every stack: always counted.
     */
    static String partOf(String command, List<String> stackMarkers) {
        for (String[] part : PARTS) {
            if (command.contains(part[0])) {
                boolean ours = part[1].equals("postgresql") || stackMarkers.isEmpty()
                        || stackMarkers.stream().anyMatch(command::contains);
                return ours ? part[1] : null;
            }
        }
        return null;
    }

    /** This checkout (from where this class was loaded: load-bench/target/classes) and the state folder, if set. */
    private static List<String> stackMarkers() {
        List<String> markers = new ArrayList<>();
        try {
            Path classes = Path.of(ProcessCpu.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (classes.endsWith(Path.of("load-bench", "target", "classes"))) {
                markers.add(classes.getParent().getParent().getParent() + "/");
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // not from a checkout: every stack counts
        }
        String state = System.getenv("ESTUARY_STATE");
        if (state != null && !state.isBlank()) {
            markers.add(state.replaceAll("/+$", "") + "/");
        }
        return List.copyOf(markers);
    }
}
