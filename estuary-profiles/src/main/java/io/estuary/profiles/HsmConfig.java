package io.estuary.profiles;

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
}
