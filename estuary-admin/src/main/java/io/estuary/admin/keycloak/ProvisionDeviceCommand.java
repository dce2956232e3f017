package io.estuary.admin.keycloak;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A device enrollment credential in Keycloak; its password is printed once and stored nowhere. */
@Command(name = "provision-device", description = "Create a device enrollment credential in Keycloak.")
public final class ProvisionDeviceCommand implements Callable<Integer> {
    /** The realm roles the frontend reads a credential's labels from (its default label-role prefix). */
    static final String LABEL_ROLE_PREFIX = "est-label:";

    @Parameters(index = "0", paramLabel = "DEVICE", description = "the device's name: 1-128 of A-Z a-z 0-9 . _ -")
    String device;

    @Option(names = "--labels", split = ",", defaultValue = "default",
            description = "the EST labels it may enroll on, comma-separated (default ${DEFAULT-VALUE})")
    List<String> labels;

    @Option(names = "--keycloak-url", defaultValue = "${env:ESTUARY_KEYCLOAK_URL:-http://127.0.0.1:8180}")
    URI keycloak;

    @Option(names = "--realm", defaultValue = "${env:ESTUARY_KEYCLOAK_REALM:-estuary}")
    String realm;

    @Option(names = "--admin-user", defaultValue = "${env:ESTUARY_KEYCLOAK_ADMIN_USER:-admin}")
    String adminUser;

    @Option(names = "--admin-password-file", defaultValue = "${env:ESTUARY_KEYCLOAK_ADMIN_PASSWORD_FILE}",
            description = "the file holding Keycloak's administrator password (ESTUARY_KEYCLOAK_ADMIN_PASSWORD_FILE)")
    Path adminPasswordFile;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (adminPasswordFile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "ESTUARY_KEYCLOAK_ADMIN_PASSWORD_FILE is not set (or pass --admin-password-file)");
        }
        if (labels.stream().anyMatch(String::isBlank)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--labels holds an empty label: " + labels);
        }
        DeviceProvisioning provisioning = new DeviceProvisioning(keycloak, realm, adminUser,
                Files.readString(adminPasswordFile).strip(), label -> LABEL_ROLE_PREFIX + label);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            DeviceProvisioning.Credential credential = provisioning.provision(device, labels);
            out.println("username " + credential.username());
            out.println("password " + credential.password());
            out.println("labels   " + String.join(",", credential.labels()));
            out.flush();
            err.println("The password is shown once; it is not stored by Estuary.");
            return 0;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (RuntimeException e) {
            err.println("provision-device: " + e.getMessage());
            return 1;
        }
    }
}
