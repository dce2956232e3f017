package io.estuary.pki;

import java.util.Arrays;
import java.util.Base64;

/**
 * A TLS channel binding of the connection a request arrived on: {@code tls-unique} (RFC 5929) on TLS 1.2,
 * {@code tls-exporter} (RFC 9266) on TLS 1.3, where tls-unique is not defined.
 *
 * @param type  the binding's IANA name
 * @param value the binding's bytes
 */
public record ChannelBinding(String type, byte[] value) {
    public static final String TLS_UNIQUE = "tls-unique";
    public static final String TLS_EXPORTER = "tls-exporter";

    public ChannelBinding {
        if (!TLS_UNIQUE.equals(type) && !TLS_EXPORTER.equals(type)) {
            throw new IllegalArgumentException("unsupported channel binding " + type);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** What RFC 7030 §3.5 has the client put into the CSR's challengePassword: the binding, base64-encoded. */
    public String challengePassword() {
        return Base64.getEncoder().encodeToString(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelBinding binding && type.equals(binding.type)
                && Arrays.equals(value, binding.value);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return type;
    }
}
