package io.estuary.pki.ca;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * A certificate validity time (and a CRL's times) as RFC 5280 §4.1.2.5 wants it: UTCTime through 2049, GeneralizedTime from 2050, in
 * whole seconds. The same encoding Bouncy Castle's {@code Time(Date)} gives, written as DER directly: BC's date and
 * string constructors both run a {@code SimpleDateFormat} per call (a tenth of the signer's CPU at full load).
 */
final class Asn1Time {
    private static final byte UTC_TIME = 0x17;
    private static final byte GENERALIZED_TIME = 0x18;

    private Asn1Time() {
    }

    static Time of(Instant instant) {
        int year = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC).getYear();
        boolean utc = year >= 1950 && year <= 2049;
        byte[] der = der(instant, utc);
        // Parsing DER checks only the shape, not the calendar: the fields are a valid date by construction.
        return new Time(utc ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
    }

    /** Always GeneralizedTime, as a CRL entry's invalidity date is (RFC 5280 §5.3.2). */
    static ASN1GeneralizedTime generalized(Instant instant) {
        return ASN1GeneralizedTime.getInstance(der(instant, false));
    }

    private static byte[] der(Instant instant, boolean utc) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("a certificate time must lie in years 0000-9999: " + instant);
        }
        // YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ, after the tag and the length octet.
        byte[] der = new byte[2 + (utc ? 13 : 15)];
        der[0] = utc ? UTC_TIME : GENERALIZED_TIME;
        der[1] = (byte) (der.length - 2);
        int at = 2;
        if (!utc) {
            at = digits(der, at, year / 100);
        }
        at = digits(der, at, year % 100);
        at = digits(der, at, t.getMonthValue());
        at = digits(der, at, t.getDayOfMonth());
        at = digits(der, at, t.getHour());
        at = digits(der, at, t.getMinute());
        at = digits(der, at, t.getSecond());
        der[at] = 'Z';
        return der;
    }

    private static int digits(byte[] out, int at, int twoDigits) {
        out[at] = (byte) ('0' + twoDigits / 10);
        out[at + 1] = (byte) ('0' + twoDigits % 10);
        return at + 2;
    }
}
