package io.estuary.audit;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.audit.messaging.AuditReplay;
import io.estuary.audit.service.Blocking;
import io.estuary.audit.service.ChainVerification;
import io.estuary.audit.service.ChainVerificationService;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Without arguments: the audit service. With {@code replay}: rebuilds the configured (empty) store from the start of
 * the topics, prints the chain head and exits. With {@code verify}: recomputes the chain, prints the result and exits
 * 0 when it is intact, 1 when broken. The commands consume nothing live and serve no HTTP.
 */
@QuarkusMain
public class AuditMain {
    public static void main(String... args) {
        if (args.length == 0) {
            Quarkus.run(args);
            return;
        }
        if (!args[0].equals("replay") && !args[0].equals("verify")) {
            System.err.println("usage: audit-service [replay | verify]");
            System.exit(2);
        }
        System.setProperty("estuary.audit.consumer.enabled", "false");
        System.setProperty("quarkus.http.host-enabled", "false");
        // No API, so no bearer tokens to check: the commands neither need nor wait for Keycloak.
        System.setProperty("quarkus.oidc.tenant-enabled", "false");
        Quarkus.run(Command.class, (code, failure) -> {
            if (failure != null) {
                System.err.println("audit " + args[0] + " failed: " + failure.getMessage());
            }
            System.exit(code);
        }, args);
    }

    public static class Command implements QuarkusApplication {
        @Inject
        AuditReplay replay;
        @Inject
        ChainVerificationService verification;
        @Inject
        ObjectMapper json;

        @Override
        public int run(String... args) throws Exception {
            if (args[0].equals("replay")) {
                long written = replay.replayIntoEmptyStore();
                System.err.println("replayed " + written + " records");
            }
            ChainVerification result = Blocking.await(verification::verify);
            System.out.println(json.writeValueAsString(result));
            return result.valid() ? 0 : 1;
        }
    }
}
