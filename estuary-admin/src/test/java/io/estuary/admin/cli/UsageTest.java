package io.estuary.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Wrong command lines end with exit code 2 and the reason on standard error, before anything is done. */
class UsageTest {

    private static void refused(String expected, String... args) {
        AdminCommandLine result = AdminCommandLine.run(args);
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains(expected), result.err());
        assertEquals("", result.out());
    }

    @Test
    void aCommandIsRequired() {
        refused("Missing required subcommand");
        refused("Unmatched argument at index 0: 'sign'", "sign");
        refused("Missing required subcommand", "ca");
        refused("Missing required subcommand", "topics");
        refused("Missing required subcommand", "audit", "--service-jar", "quarkus-run.jar");
    }

    @Test
    void caCommandsNameTheTokenTheAliasAndTheOutput() {
        refused("Missing required options: '--alias=<alias>', '--out=<out>', '--subject=<subject>'",
                "ca", "init-root", "--library", "/no/such.so");
        refused("Missing required option: '--issuer-alias=<issuerAlias>'", "ca", "init-issuing", "--library", "l",
                "--alias", "a", "--subject", "CN=A", "--out", "a.pem");
        refused("Missing required option: '--chain=<chain>'", "ca", "import", "--library", "l", "--alias", "a",
                "--out", "a.pem");
        refused("Unknown options: '--pin', '1234'", "ca", "export", "--library", "l", "--alias", "a", "--out", "a.pem",
                "--pin", "1234");
        refused("Invalid value for option '--slot-index'", "ca", "export", "--library", "l", "--slot-index", "one",
                "--alias", "a", "--out", "a.pem");
    }

    @Test
    void aCheckpointIsASequenceAndItsHash() {
        refused("Missing required argument(s): --after-hash=<afterHash>", "audit", "--service-jar", "quarkus-run.jar",
                "verify", "--after", "12");
        refused("Invalid value for option '--after'", "audit", "--service-jar", "quarkus-run.jar", "verify",
                "--after", "twelve", "--after-hash", "ab");
        refused("Unknown options: '--after', '12'", "audit", "--service-jar", "quarkus-run.jar", "replay",
                "--after", "12");
        refused("does not exist: build the audit service", "audit", "--service-jar", "no-such-quarkus-run.jar",
                "verify");
    }

    @Test
    void tokensAreForTheTwoOperatorRoles() {
        refused("expected one of [operator, auditor] (case-sensitive) but was 'admin'", "token", "admin",
                "--password-file", "secret");
        refused("Missing required option: '--password-file=<passwordFile>'", "token", "auditor");
    }

    @Test
    void aDeviceNeedsANameAndNonEmptyLabels() {
        refused("Missing required parameter: 'DEVICE'", "provision-device");
        refused("--labels holds an empty label", "provision-device", "dev-1", "--labels", "default,,edge-ca",
                "--admin-password-file", "admin-password");
        refused("Invalid value for option '--timeout'", "topics", "create", "--bootstrap", "127.0.0.1:9092",
                "--timeout", "2 minutes");
    }
}
