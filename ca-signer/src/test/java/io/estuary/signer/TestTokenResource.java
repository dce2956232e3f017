package io.estuary.signer;

import java.nio.file.Path;
import java.util.Map;

import io.estuary.pki.ca.CaCommand;
import io.estuary.testkit.SoftHsmTestToken;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh SoftHSM2 token with a CA made inside it, before the signer starts; and the real broker. */
public class TestTokenResource implements QuarkusTestResourceLifecycleManager {
    public static Path caPem;

    @Override
    public Map<String, String> start() {
        Path tokens = SoftHsmTestToken.initialise();
        caPem = tokens.getParent().resolve("signer-test-ca.pem");
        CaCommand.run(new String[] { "init-root", "--library", SoftHsmTestToken.LIBRARY, "--alias", "estuary-ca",
                "--subject", "CN=Signer Test CA", "--key-type", "EC-P256", "--out", caPem.toString() },
                SoftHsmTestToken.PIN.toCharArray());
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
