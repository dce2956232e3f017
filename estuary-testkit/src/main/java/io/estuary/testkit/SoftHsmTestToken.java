package io.estuary.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fresh SoftHSM2 token for one test JVM. The JVM must have been started with {@code SOFTHSM2_CONF} pointing at
 * {@link #configFile()} (Surefire sets it); SoftHSM reads it when the provider is configured, so writing it first is
 * enough.
 */
public final class SoftHsmTestToken {
    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    public static final String LABEL = "estuary-test";
    public static final String PIN = "test-user-pin";
    private static final String SO_PIN = "test-so-pin";

    private SoftHsmTestToken() {
    }

    public static Path configFile() {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            throw new IllegalStateException("start the test JVM with SOFTHSM2_CONF set (see the module's pom.xml)");
        }
        return Path.of(conf);
    }

    /** Wipes and initialises the token; returns its token directory. */
    public static synchronized Path initialise() {
        Path conf = configFile();
        Path tokens = conf.toAbsolutePath().getParent().resolve("tokens");
        try {
            if (Files.exists(tokens)) {
                try (var walk = Files.walk(tokens)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(tokens);
            Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
            run(List.of("softhsm2-util", "--init-token", "--free", "--label", LABEL, "--so-pin", SO_PIN, "--pin", PIN));
            return tokens;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command with this token's configuration; returns its output, fails on a non-zero exit. */
    public static String run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("SOFTHSM2_CONF", configFile().toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
