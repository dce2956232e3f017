package io.estuary.responder.service;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "estuary.responder")
public interface ResponderConfig {
    Hsm hsm();

    Ocsp ocsp();

    interface Ocsp {
        /** How long an answer is valid: its nextUpdate after its thisUpdate. */
        @WithDefault("PT4H")
        Duration validity();

        /** A cached answer is signed anew once it is this close to its nextUpdate. */
        @WithDefault("PT30M")
        Duration refreshBefore();

        /** Most answers held signed (about 1 KB each: the responder's certificate goes with every answer). */
        @WithDefault("150000")
        int maxCached();

        /** How often the token is read again for a rolled responder key. */
        @WithDefault("PT10M")
        Duration reload();
    }

    interface Hsm {
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
}
