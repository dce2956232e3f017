package io.estuary.frontend.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ConnectionsPerAddressTest {
    private static final InetAddress NAT = address("192.0.2.1");
    private static final InetAddress OTHER = address("192.0.2.2");

    @Test
    void anAddressAtItsCapIsRefusedWhileOthersAreNot() {
        ConnectionsPerAddress connections = new ConnectionsPerAddress(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(connections.tryOpen(NAT));
        }
        assertFalse(connections.tryOpen(NAT));
        assertEquals(3, connections.open(NAT), "a refusal is not counted");
        assertTrue(connections.tryOpen(OTHER));

        connections.closed(NAT);
        assertTrue(connections.tryOpen(NAT), "a closed connection frees its place");
        assertFalse(connections.tryOpen(NAT));
    }

    @Test
    void anAddressWithNothingOpenIsForgotten() {
        ConnectionsPerAddress connections = new ConnectionsPerAddress(2);
        connections.tryOpen(NAT);
        connections.tryOpen(NAT);
        connections.closed(NAT);
        connections.closed(NAT);
        connections.closed(NAT);
        assertEquals(0, connections.open(NAT));
        assertEquals(0, connections.trackedAddresses());
    }

    @Test
    void theCapIsAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionsPerAddress(0));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
