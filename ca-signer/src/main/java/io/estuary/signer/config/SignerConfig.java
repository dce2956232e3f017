package io.estuary.signer.config;

import io.estuary.profiles.HsmConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "estuary.signer")
public interface SignerConfig {

    HsmConfig hsm();

    /** How long decided requests are remembered, so a request seen again is answered, not signed again. */
    @WithDefault("PT15M")
    java.time.Duration retryWindow();

    /**
     * Whether the signer checks each CSR's signature again after the frontend did. On by default (defence in depth);
     * switching it off saves most of the signer's CPU per certificate and is sound only where nothing but Estuary's
     * frontends may write to the requests topic (Kafka ACLs): whoever can write there can already get a certificate
     * for a key of their own, and the profile policy is applied either way.
     */
    @WithDefault("true")
    boolean verifyProofOfPossession();

    Crl crl();

    interface Crl {
        /** How long each CRL is valid (its nextUpdate after its thisUpdate); a new one is published at half of it. */
        @WithDefault("PT24H")
        java.time.Duration nextUpdate();

        /** How long after a revocation its CRL is published: revocations within it go out in one CRL. */
        @WithDefault("PT2S")
        java.time.Duration debounce();
    }

    /**
     * How long a fresh signer may rehearse its work with throwaway keys before it reports ready (it stops sooner once
     * the rehearsal is done); 0 skips it.
     */
    @WithDefault("PT30S")
    java.time.Duration warmUp();
}
