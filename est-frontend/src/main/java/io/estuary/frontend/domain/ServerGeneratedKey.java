package io.estuary.frontend.domain;

/** What {@code /serverkeygen} returns: the generated private key (PKCS#8 DER) and its certificate (certs-only DER). */
public record ServerGeneratedKey(byte[] pkcs8, byte[] certsOnly) {
}
