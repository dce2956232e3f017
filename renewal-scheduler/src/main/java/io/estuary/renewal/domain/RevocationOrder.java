package io.estuary.renewal.domain;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import io.estuary.contracts.RevocationReason;

/**
 * An operator's revocation request, checked: either one certificate (issuer and serial number) or everything unexpired
 * of a device, with a reason and an optional invalidity date.
 *
 * @param issuer         the issuer named, or null for a device
 * @param serialNumber   the serial number, lower-case hex without leading zeros, or null for a device
 * @param deviceId       the device, or null for one certificate
 * @param reason         why
 * @param invalidityDate when the key is known or suspected compromised, or null
 */
public record RevocationOrder(X500Principal issuer, String serialNumber, String deviceId, RevocationReason reason,
        Instant invalidityDate) {
    /** RFC 5280 §4.1.2.2: at most 20 octets; openssl prints colons between them on request. */
    private static final Pattern SERIAL = Pattern.compile("(?:[0-9a-fA-F]{2}:)*[0-9a-fA-F]+");
    private static final int MAX_SERIAL_OCTETS = 20;

    public boolean byDevice() {
        return deviceId != null;
    }

    /**
     * Checks the request's fields as sent.
     *
     * @param now the time an invalidity date may not be after
     * @throws InvalidRevocationException naming what is wrong
     */
    public static RevocationOrder parse(String issuer, String serialNumber, String deviceId, String reason,
            String invalidityDate, Instant now) {
        boolean certificate = present(issuer) || present(serialNumber);
        if (certificate == present(deviceId)) {
            throw new InvalidRevocationException(
                    "name either a certificate ('issuer' and 'serialNumber') or a device ('deviceId'), not both");
        }
        if (!present(reason)) {
            throw new InvalidRevocationException("'reason' is required (an RFC 5280 reason code or name)");
        }
        RevocationReason parsedReason;
        try {
            parsedReason = RevocationReason.parse(reason);
        } catch (IllegalArgumentException e) {
            throw new InvalidRevocationException(e.getMessage());
        }
        Instant invalidity = null;
        if (present(invalidityDate)) {
            try {
                invalidity = Instant.parse(invalidityDate.strip());
            } catch (DateTimeParseException e) {
                throw new InvalidRevocationException("'invalidityDate' must be an ISO-8601 instant such as "
                        + "2026-01-31T12:00:00Z");
            }
            if (invalidity.isAfter(now)) {
                throw new InvalidRevocationException("'invalidityDate' must not be in the future");
            }
        }
        if (!certificate) {
            return new RevocationOrder(null, null, deviceId, parsedReason, invalidity);
        }
        if (!present(issuer) || !present(serialNumber)) {
            throw new InvalidRevocationException("a certificate is named by both 'issuer' and 'serialNumber'");
        }
        return new RevocationOrder(issuerName(issuer), serial(serialNumber), null, parsedReason, invalidity);
    }

    /** Whether the certificate's issuer (RFC 2253) is the one named: compared as names, not as text. */
    public boolean issuedBy(String certificateIssuer) {
        return certificateIssuer == null || issuer.equals(new X500Principal(certificateIssuer));
    }

    private static X500Principal issuerName(String issuer) {
        try {
            return new X500Principal(issuer.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRevocationException("'issuer' is not a distinguished name (RFC 4514), such as "
                    + "CN=Estuary Device CA,O=Example");
        }
    }

    private static String serial(String text) {
        String value = text.strip();
        if (value.startsWith("0x") || value.startsWith("0X")) {
            value = value.substring(2);
        }
        if (!SERIAL.matcher(value).matches()) {
            throw new InvalidRevocationException("'serialNumber' must be hexadecimal (as openssl x509 -serial prints "
                    + "it, colons allowed)");
        }
        BigInteger serial = new BigInteger(value.replace(":", ""), 16);
        if (serial.signum() == 0 || serial.bitLength() > MAX_SERIAL_OCTETS * 8) {
            throw new InvalidRevocationException("'serialNumber' must be a positive number of at most "
                    + MAX_SERIAL_OCTETS + " octets");
        }
        return serial.toString(16).toLowerCase(Locale.ROOT);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
