package io.estuary.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/estuary compose-leftovers} against a real netavark firewall: a port chain an unclean teardown left for
 * a network of the project goes, with the jumps into it, so a network created again under the same name does not send
 * a published port to an old address; the chain of a network that exists stays. Needs root and podman, as the test
 * command has (it runs as root on the machine it installs podman on); skipped only outside the test command.
 */
class ComposeLeftoversTest {
    private static final String PROJECT = "estuary-leftovers-test" + System.getenv().getOrDefault("ESTUARY_TEST_SLOT",
            "0");
    private static final String GONE = chain(PROJECT + "_core");
    private static final String EXISTING = chain(PROJECT + "_edge");
    private static final String JUMPING = "ESTUARY-LEFTOVERS-TEST";

    @BeforeEach
    void plantLeftovers() throws Exception {
        // Outside the test command (a plain mvn run) there may be no podman; under it, it runs as root, as the compose
        // test does, and a missing root is a failure rather than a skip.
        assumeTrue(System.getenv("ESTUARY_ROOT") != null, "needs root and podman: run under deploy/estuary test");
        assertEquals("0", run(List.of("id", "-u"), true).strip(), "the test command runs as root");
        removePlanted();
        podman(true, "network", "create", PROJECT + "_edge");
        // The old rule of a published port, and a jump to it, as a killed run leaves them.
        for (String chain : List.of(GONE, EXISTING, JUMPING)) {
            run(List.of("iptables", "-t", "nat", "-N", chain), true);
        }
        run(List.of("iptables", "-t", "nat", "-A", GONE, "-p", "tcp", "--dport", "28084", "-j", "DNAT",
                "--to-destination", "10.255.255.1:8084"), true);
        run(List.of("iptables", "-t", "nat", "-A", JUMPING, "-p", "tcp", "--dport", "28084", "-j", GONE), true);
        run(List.of("iptables", "-t", "nat", "-A", EXISTING, "-p", "tcp", "--dport", "28443", "-j", "DNAT",
                "--to-destination", "10.255.255.2:8443"), true);
    }

    @AfterEach
    void removePlanted() throws Exception {
        if (System.getenv("ESTUARY_ROOT") == null) {
            return;
        }
        run(List.of("iptables", "-t", "nat", "-F", JUMPING), false);
        run(List.of("iptables", "-t", "nat", "-X", JUMPING), false);
        for (String chain : List.of(GONE, EXISTING)) {
            run(List.of("iptables", "-t", "nat", "-F", chain), false);
            run(List.of("iptables", "-t", "nat", "-X", chain), false);
        }
        podman(false, "network", "rm", "-f", PROJECT + "_edge");
    }

    @Test
    void theChainOfANetworkThatIsGoneIsRemovedAndTheOtherStays() throws Exception {
        String out = run(List.of("../deploy/estuary", "compose-leftovers", PROJECT), true);
        assertTrue(out.contains("removing the leftover port chain of network " + PROJECT + "_core (" + GONE + ")"), out);
        assertFalse(run(List.of("iptables", "-t", "nat", "-S"), true).contains(GONE), "the old chain and its jumps");
        assertTrue(run(List.of("iptables", "-t", "nat", "-S", EXISTING), true).contains("10.255.255.2:8443"),
                "the chain of a network that exists");
    }

    /** netavark's name for a network's port chain. */
    static String chain(String network) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(network.getBytes(StandardCharsets.UTF_8));
            return "NETAVARK-DN-" + HexFormat.of().formatHex(digest).substring(0, 13).toUpperCase(Locale.ROOT);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A podman command with the project's container configuration, as deploy/estuary runs it. */
    private static void podman(boolean mustSucceed, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env",
                "CONTAINERS_CONF=" + PrometheusRulesTest.DEPLOY.resolve("containers/containers.conf"), "podman"));
        command.addAll(List.of(args));
        run(command, mustSucceed);
    }

    private static String run(List<String> command, boolean mustSucceed) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        if (mustSucceed) {
            assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + out);
        }
        return out;
    }
}
