package io.estuary.responder.service;

import java.time.Duration;

import io.estuary.profiles.HsmConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "estuary.responder")
public interface ResponderConfig {
    HsmConfig hsm();

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

        /**
         * How long after its certificate ended a serial is still answered good (or revoked) rather than "unknown": the
         * responder forgets older ones, so it holds the certificates that are valid, not every one ever issued.
         */
        @WithDefault("P30D")
        Duration endedKept();

        /** How often the token is read again for a rolled responder key. */
        @WithDefault("PT10M")
        Duration reload();
    }
}
