package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;

/** The stack the test command started (broker, PostgreSQL, token), and the user's script that runs the services. */
final class LocalStack {
    private LocalStack() {
    }

    static Path state() {
        String stateDir = System.getenv("ESTUARY_STATE");
        if (stateDir == null) {
            fail("run the end-to-end tests through the test command: deploy/estuary test");
        }
        return Path.of(stateDir);
    }

    static Path root() {
        return Path.of(System.getenv().getOrDefault("ESTUARY_ROOT", Path.of("..").toAbsolutePath().toString()));
    }

    /** Runs {@code deploy/estuary <command>} as a user would, showing its output. */
    static void script(String command) throws Exception {
        Process process = new ProcessBuilder(root().resolve("deploy/estuary").toString(), command).inheritIO().start();
        assertEquals(0, process.waitFor(), "deploy/estuary " + command);
    }

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set; run through deploy/estuary test");
        }
        return value;
    }
}
