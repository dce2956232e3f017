package io.estuary.admin.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The audit store's offline commands. They run the audit service's own jar (its persistence and chain code) without
 * its HTTP listener or live consumer, with a heap that fits a chain of any length: verification reads a page at a time.
 * The database is chosen by the service's settings (ESTUARY_AUDIT_DB, ESTUARY_DB_*), which the child inherits.
 */
@Command(name = "audit", description = "Verify the audit store's chain, or rebuild it from the topics.",
        synopsisSubcommandLabel = "verify | replay")
public final class AuditCommand {

    @Option(names = "--service-jar", required = true,
            description = "the audit service's quarkus-run.jar")
    Path serviceJar;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Both or neither: a checkpoint is a sequence number and the chain hash of that record. */
    static final class Checkpoint {
        @Option(names = "--after", required = true, description = "the sequence number of a verified record")
        long after;

        @Option(names = "--after-hash", required = true, description = "that record's chain hash")
        String afterHash;
    }

    @Command(name = "verify", description = "Recompute the chain (or only the records after a verified checkpoint): "
            + "exit 0 intact, 1 broken, 3 if another verification runs.")
    int verify(@ArgGroup(exclusive = false) Checkpoint checkpoint) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("verify"));
        if (checkpoint != null) {
            arguments.addAll(List.of("--after", Long.toString(checkpoint.after), "--after-hash", checkpoint.afterHash));
        }
        return runService(arguments);
    }

    @Command(name = "replay", description = "Rebuild the store from the start of the topics into the (empty) database "
            + "named by ESTUARY_AUDIT_DB; prints its chain head.")
    int replay() throws IOException, InterruptedException {
        return runService(List.of("replay"));
    }

    private int runService(List<String> arguments) throws IOException, InterruptedException {
        if (!Files.isRegularFile(serviceJar)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    serviceJar + " does not exist: build the audit service (mvn -B package -DskipTests)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-Dquarkus.log.level=WARN", "-jar", serviceJar.toString()));
        command.addAll(arguments);
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
