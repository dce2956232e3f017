package io.estuary.renewal.rest;

/**
 * The body of {@code POST /revocations}: a certificate ({@code issuer} and {@code serialNumber}) or a device
 * ({@code deviceId}), a {@code reason} (RFC 5280 code or name) and an optional {@code invalidityDate} (ISO-8601).
 * Plain strings, checked by {@link io.estuary.renewal.domain.RevocationOrder} so that each mistake gets its reason.
 */
public record RevocationRequest(String issuer, String serialNumber, String deviceId, String reason,
        String invalidityDate) {
}
