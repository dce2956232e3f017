package io.estuary.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build contexts {@code deploy/estuary images} assembles: each build gets a folder of its own, so two checkouts
 * building at once (a CI run beside a developer's) cannot remove files from under each other's podman build, as one
 * shared folder did; a folder a killed build left goes once it is a day old, and a fresh one of another build stays.
 */
class ImageBuildContextTest {
    @TempDir
    Path cache;

    /** Runs {@code script} with deploy/lib/containers.sh sourced, as deploy/estuary does, and returns its output. */
    private String withContainersLib(String script) throws Exception {
        Path root = PrometheusRulesTest.DEPLOY.getParent();
        Process process = new ProcessBuilder("bash", "-c", "set -euo pipefail; ROOT=\"$1\"; CACHE=\"$2\"; "
                + "source \"$ROOT/deploy/lib/containers.sh\"; " + script, "bash", root.toString(), cache.toString())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), script);
        assertEquals(0, process.exitValue(), out);
        return out.strip();
    }

    @Test
    void twoBuildsAtOnceGetFoldersOfTheirOwn() throws Exception {
        List<String> folders = withContainersLib("staged_context keycloak; staged_context keycloak").lines().toList();
        assertEquals(2, folders.size(), folders.toString());
        assertNotEquals(folders.get(0), folders.get(1));
        for (String folder : folders) {
            Path path = Path.of(folder);
            assertTrue(Files.isDirectory(path), folder);
            assertEquals(cache.resolve("images"), path.getParent(), "under the cache, for hard links to its files");
            try (var entries = Files.list(path)) {
                assertEquals(0, entries.count(), "empty: " + folder);
            }
        }
    }

    @Test
    void aFolderAKilledBuildLeftGoesWhenADayOldAndAFreshOneStays() throws Exception {
        Path old = Files.createDirectories(cache.resolve("images/context-keycloak.OLD123"));
        Files.writeString(old.resolve("keycloak-start.sh"), "#!/bin/sh\n");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path running = Files.createDirectories(cache.resolve("images/context-keycloak.NOW456"));
        Path otherKind = Files.createDirectories(cache.resolve("images/context-kafka.OLD789"));
        Files.setLastModifiedTime(otherKind, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        Path made = Path.of(withContainersLib("staged_context keycloak"));

        assertFalse(Files.exists(old), "a day-old leftover goes");
        assertTrue(Files.isDirectory(running), "another build's fresh folder stays");
        assertTrue(Files.isDirectory(otherKind), "only the kind being staged is swept");
        assertTrue(Files.isDirectory(made));
    }
}
