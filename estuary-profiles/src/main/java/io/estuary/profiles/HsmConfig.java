package io.estuary.profiles;

import java.util.Arrays;

import io.estuary.pki.token.Pkcs11Token;
import io.smallrye.config.WithDefault;

/**
 * The PKCS#11 token a service logs in to, as a group of its own configuration ({@code estuary.signer.hsm},
 * {@code estuary.responder.hsm}): every service that reads the token reads it with the same settings.
 */
public interface HsmConfig {
    /** Path of the PKCS#11 module. */
    @WithDefault("/usr/lib/softhsm/libsofthsm2.so")
    String library();

    /** Index among slots holding a token. */
    @WithDefault("0")
    int slotListIndex();

    /** Environment variable holding the user PIN; {@code <name>_FILE} names a file holding it instead. */
    @WithDefault("ESTUARY_HSM_PIN")
    String pinVariable();

    /**
     * Logs in to the token with the PIN from the environment, under the provider name given; the PIN is wiped from
     * memory afterwards, whether or not the login succeeded.
     */
    default Pkcs11Token open(String providerName) {
        char[] pin = Pkcs11Token.pinFromEnvironment(pinVariable());
        try {
            return Pkcs11Token.open(new Pkcs11Token.Settings(providerName, library(), slotListIndex()), pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }
}
