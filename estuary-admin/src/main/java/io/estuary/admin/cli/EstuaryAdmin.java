package io.estuary.admin.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

import io.estuary.admin.audit.AuditCommand;
import io.estuary.admin.ca.CaCommands;
import io.estuary.admin.kafka.TopicsCommand;
import io.estuary.admin.keycloak.ProvisionDeviceCommand;
import io.estuary.admin.keycloak.TokenCommand;
import io.estuary.pki.token.Pkcs11Token;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The commands an operator runs by hand, usually through {@code deploy/estuary}. Exit codes: 0 done, 1 failed, 2 a
 * usage error or a refused CA operation; messages go to standard error and never hold a secret.
 */
@Command(name = "estuary-admin", mixinStandardHelpOptions = true,
        description = "Estuary's operator commands: the CA in the token, topics, device credentials, tokens, audit.")
public final class EstuaryAdmin {

    private EstuaryAdmin() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(() -> Pkcs11Token.pinFromEnvironment("ESTUARY_HSM_PIN")).execute(args));
    }

    /** @param pin the token's user PIN, asked for only by the CA commands */
    public static CommandLine commandLine(Supplier<char[]> pin) {
        CommandLine commandLine = new CommandLine(new EstuaryAdmin())
                .addSubcommand(CaCommands.commandLine(pin))
                .addSubcommand(new TopicsCommand())
                .addSubcommand(new ProvisionDeviceCommand())
                .addSubcommand(new TokenCommand())
                .addSubcommand(new AuditCommand());
        // A failure the commands did not expect is reported in one line, without a stack trace.
        commandLine.setExecutionExceptionHandler((failure, failed, parsed) -> {
            PrintWriter err = failed.getErr();
            err.println(failed.getCommandName() + ": " + failure.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine;
    }
}
