package io.estuary.pki;

import java.time.Duration;

/**
 * What a device-identity certificate looks like: an end-entity TLS client certificate.
 *
 * @param validity how long an issued certificate is valid; never beyond the CA's own validity
 */
public record DeviceCertificateProfile(Duration validity) {
    public DeviceCertificateProfile {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
    }
}
