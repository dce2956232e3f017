package io.estuary.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

class Asn1TimeTest {

    @Test
    void encodesAsBouncyCastlesDateConstructorDoes() throws Exception {
        // Either side of the UTCTime/GeneralizedTime switch, and a time with milliseconds (dropped by both).
        for (String at : new String[] { "2026-12-01T06:49:24.789Z", "2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z",
                "1950-01-01T00:00:00Z", "1949-12-31T23:59:59.999Z", "2126-03-04T05:06:07Z" }) {
            Instant instant = Instant.parse(at);
            assertArrayEquals(new Time(Date.from(instant)).getEncoded(), Asn1Time.of(instant).getEncoded(), at);
        }
    }
}
