package io.estuary.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/estuary images} removes the images its build moved a tag away from, which every test run otherwise
 * leaves behind untagged. Against a stand-in for podman that keeps its images in files: which tag names which image,
 * which images are in use, and every removal asked for.
 */
class ReplacedImagesTest {
    /** A podman of files: tags/NAME:TAG holds an image id, images/ID exists per image, in-use/ID refuses removal. */
    private static final String PODMAN = """
            #!/usr/bin/env bash
            set -euo pipefail
            state=$PODMAN_STATE
            tagged() { { grep -lx "$1" "$state"/tags/* 2>/dev/null || true; } | wc -l; }
            case "$1 $2" in
              "image inspect")
                format=$4 name=$5
                if [ "$format" = '{{.Id}}' ]; then
                  f=$state/tags/${name//\\//_}; [ -f "$f" ] || exit 125; cat "$f"
                else
                  [ -f "$state/images/$name" ] || exit 125; tagged "$name"
                fi ;;
              "image rm")
                echo "$3" >> "$state/removals"
                [ ! -f "$state/in-use/$3" ] || exit 2
                rm "$state/images/$3" ;;
              build*)
                ref= context=
                while [ $# -gt 0 ]; do
                  case $1 in -t) ref=$2; shift ;; esac
                  context=$1; shift
                done
                id=$(cat "$context/id"); touch "$state/images/$id"; echo "$id" > "$state/tags/${ref//\\//_}" ;;
              *) echo "unexpected: podman $*" >&2; exit 99 ;;
            esac
            """;

    @TempDir
    Path dir;

    @Test
    void theImagesABuildReplacedGoChildrenFirstUnlessAnotherTagOrAContainerStillUsesThem() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        for (String sub : List.of("tags", "images", "in-use")) {
            Files.createDirectories(state.resolve(sub));
        }
        // Before the build: four images of this tag, one of them also named by another checkout's tag.
        image("base", "t", "base-old");
        image("unchanged", "t", "same");
        image("shared", "t", "shared-old");
        image("shared", "other-slot", "shared-old");
        image("running", "t", "running-old");
        Files.createFile(state.resolve("in-use/running-old"));

        String out = run(state, String.join("; ",
                build("base", "base-new"), build("unchanged", "same"), build("shared", "shared-new"),
                build("running", "running-new"), build("fresh", "fresh-new"),
                "echo \"replaced: ${REPLACED_IMAGES[*]}\"", "remove_replaced_images",
                "echo \"after: ${#REPLACED_IMAGES[@]}\""));

        assertTrue(out.contains("replaced: base-old shared-old running-old"), out);
        assertEquals(List.of("running-old", "base-old"), Files.readAllLines(state.resolve("removals")),
                "the later (child) image first; the one another tag names is not touched");
        assertTrue(Files.notExists(state.resolve("images/base-old")), "the untagged base is gone");
        for (String kept : List.of("shared-old", "running-old", "same", "base-new", "fresh-new")) {
            assertTrue(Files.exists(state.resolve("images/" + kept)), kept + " kept");
        }
        assertTrue(out.contains("kept the replaced image running-old: still in use"), out);
        assertTrue(out.contains("after: 0"), out);
    }

    private void image(String name, String tag, String id) throws Exception {
        Path state = dir.resolve("state");
        Files.writeString(state.resolve("tags/localhost_estuary_" + name + ":" + tag), id + "\n");
        Files.writeString(state.resolve("images/" + id), "");
    }

    private String build(String name, String id) throws Exception {
        Path context = Files.createDirectories(dir.resolve("context-" + name));
        Files.writeString(context.resolve("id"), id + "\n");
        return "image_build " + name + " service.Containerfile " + context;
    }

    /** Runs {@code script} with deploy/lib/containers.sh sourced, as deploy/estuary does, the stand-in first on PATH. */
    private String run(Path state, String script) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path podman = bin.resolve("podman");
        Files.writeString(podman, PODMAN);
        Files.setPosixFilePermissions(podman, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = PrometheusRulesTest.DEPLOY.getParent();
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -euo pipefail; ROOT=\"$1\"; CACHE=\"$2\"; "
                + "source \"$ROOT/deploy/lib/common.sh\"; source \"$ROOT/deploy/lib/containers.sh\"; "
                + script, "bash", root.toString(), dir.resolve("cache").toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("PODMAN_STATE", state.toString());
        builder.environment().put("ESTUARY_IMAGE_TAG", "t");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), script);
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
