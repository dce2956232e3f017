package io.estuary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;

/**
 * A fixed single-threaded CPU task timed on the idle machine before each row, as a yardstick for the machine's own
 * speed at that moment: on a shared VM it moves by a third within minutes, and a row is only comparable with another
 * measured at a similar reference.
 */
final class MachineReference {
    private static final byte[] BLOCK = new byte[1 << 20];
    /** The JIT takes about two seconds of this loop to reach its final code; later calls need little warm-up. */
    private static boolean warmed;

    static {
        new Random(7).nextBytes(BLOCK);
    }

    private MachineReference() {
    }

    /** SHA-256 throughput of one thread, MB/s: the best of three 300 ms runs after a warm-up. */
    static synchronized double sha256MegabytesPerSecond() {
        MessageDigest digest;
        try {
            // The JDK's own implementation, never the native provider the benchmark installs: the same code every time.
            digest = MessageDigest.getInstance("SHA-256", "SUN");
        } catch (NoSuchAlgorithmException | java.security.NoSuchProviderException e) {
            throw new IllegalStateException(e);
        }
        hashFor(digest, warmed ? 200 : 3000);
        warmed = true;
        double best = 0;
        for (int run = 0; run < 3; run++) {
            best = Math.max(best, hashFor(digest, 300));
        }
        return best;
    }

    /**
     * The processor, as Linux names it ({@code AMD EPYC, family 25, model 17}): the reference above was alike on VMs
     * whose CPU per enrollment differed by a half, so a result names the processor it came from.
     */
    static String processor() {
        try {
            List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String name = field(cpuinfo, "model name");
            if (name == null) {
                return "processor unknown";
            }
            String family = field(cpuinfo, "cpu family");
            String model = field(cpuinfo, "model");
            return name + (family == null ? "" : ", family " + family) + (model == null ? "" : ", model " + model);
        } catch (IOException e) {
            return "processor unknown";
        }
    }

    /** The first processor's value of a field of {@code /proc/cpuinfo}. */
    private static String field(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static double hashFor(MessageDigest digest, long millis) {
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        long bytes = 0;
        while (System.nanoTime() < deadline) {
            digest.update(BLOCK);
            bytes += BLOCK.length;
        }
        digest.digest();
        return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
    }
}
