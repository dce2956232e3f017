package io.estuary.pki.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Date;
import java.util.Random;

import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

class Asn1TimeTest {

    @Test
    void encodesAsBouncyCastlesDateConstructorDoes() throws Exception {
        // Either side of the UTCTime/GeneralizedTime switch, and a time with milliseconds (dropped by both).
        for (String at : new String[] { "2026-12-01T06:49:24.789Z", "2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z",
                "1950-01-01T00:00:00Z", "1949-12-31T23:59:59.999Z", "2126-03-04T05:06:07Z", "2028-02-29T12:00:00Z",
                "9999-12-31T23:59:59Z", "1900-01-01T00:00:00Z" }) {
            Instant instant = Instant.parse(at);
            assertArrayEquals(new Time(Date.from(instant)).getEncoded(), Asn1Time.of(instant).getEncoded(), at);
        }
    }

    @Test
    void readsBackAsTheSameSecond() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            // Any second from 1900 to 2200.
            Instant instant = Instant.ofEpochSecond(-2_208_988_800L + (long) (random.nextDouble() * 9_467_280_000L));
            assertEquals(instant, Asn1Time.of(instant).getDate().toInstant(), instant.toString());
            assertArrayEquals(new Time(Date.from(instant)).getEncoded(), Asn1Time.of(instant).getEncoded(),
                    instant.toString());
        }
    }

    @Test
    void refusesYearsDerCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> Asn1Time.of(Instant.parse("+10000-01-01T00:00:00Z")));
    }
}
