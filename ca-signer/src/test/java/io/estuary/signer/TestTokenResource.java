package io.estuary.signer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;

import io.estuary.pki.ca.TokenCas;
import io.estuary.pki.token.Pkcs11Token;
import io.estuary.pki.wire.Pem;
import io.estuary.testkit.SoftHsmTestToken;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh SoftHSM2 token with a CA made inside it, before the signer starts; and the real broker. */
public class TestTokenResource implements QuarkusTestResourceLifecycleManager {
    public static Path caPem;

    @Override
    public Map<String, String> start() {
        Path tokens = SoftHsmTestToken.initialise();
        caPem = tokens.getParent().resolve("signer-test-ca.pem");
        Pkcs11Token token = Pkcs11Token.open(new Pkcs11Token.Settings("estuary-ca", SoftHsmTestToken.LIBRARY, 0),
                SoftHsmTestToken.PIN.toCharArray());
        try {
            Files.writeString(caPem, Pem.encode(new TokenCas(token).createRoot("estuary-ca",
                    new X500Name("CN=Signer Test CA"), TokenCas.KeyType.EC_P256, Duration.ofDays(3650),
                    Instant.now())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
