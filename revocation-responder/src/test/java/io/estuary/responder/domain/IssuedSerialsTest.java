package io.estuary.responder.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

class IssuedSerialsTest {
    private static final X500Principal CA = new X500Principal("CN=Estuary Device CA,O=Estuary");

    @Test
    void everySerialAddedIsFoundAndNoOther() {
        IssuedSerials serials = new IssuedSerials();
        Random random = new Random(26);
        List<BigInteger> added = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            BigInteger serial = new BigInteger(128, random).setBit(0);
            added.add(serial);
            serials.add("O=Estuary,CN=Estuary Device CA", serial);
        }
        serials.add("o=estuary, cn=estuary device ca", added.get(0)); // the same issuer, written otherwise
        assertEquals(50_000, serials.size());
        for (BigInteger serial : added) {
            assertTrue(serials.contains(new X500Principal("O=Estuary,CN=Estuary Device CA"), serial));
        }
        for (int i = 0; i < 10_000; i++) {
            assertFalse(serials.contains(new X500Principal("O=Estuary,CN=Estuary Device CA"),
                    new BigInteger(128, random).shiftLeft(1)), "an even serial was never added");
        }
        assertFalse(serials.contains(CA, added.get(1)), "another issuer's");
    }

    @Test
    void serialsOfOtherSizesAreKeptToo() {
        IssuedSerials serials = new IssuedSerials();
        BigInteger large = BigInteger.ONE.shiftLeft(150).add(BigInteger.TEN);
        BigInteger top = BigInteger.ONE.shiftLeft(127);
        serials.add("CN=A", large);
        serials.add("CN=A", top);
        serials.add("CN=A", BigInteger.ONE);
        X500Principal a = new X500Principal("CN=A");
        assertTrue(serials.contains(a, large));
        assertTrue(serials.contains(a, top));
        assertTrue(serials.contains(a, BigInteger.ONE));
        assertFalse(serials.contains(a, BigInteger.TWO));
        assertFalse(serials.contains(a, BigInteger.ZERO));
        assertEquals(3, serials.size());
    }
}
