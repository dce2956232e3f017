package io.estuary.pki;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * A certificate validity time as RFC 5280 §4.1.2.5 wants it: UTCTime through 2049, GeneralizedTime from 2050, in
 * whole seconds. The same encoding Bouncy Castle's {@code Time(Date)} gives, without the date formatter that
 * constructor builds for every call.
 */
final class Asn1Time {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    private Asn1Time() {
    }

    static Time of(Instant instant) {
        String text = SECONDS.format(instant.truncatedTo(ChronoUnit.SECONDS)) + "Z";
        int year = instant.atZone(ZoneOffset.UTC).getYear();
        return year < 1950 || year > 2049 ? new Time(new DERGeneralizedTime(text))
                : new Time(new DERUTCTime(text.substring(2)));
    }
}
