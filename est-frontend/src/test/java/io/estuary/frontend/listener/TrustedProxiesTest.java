package io.estuary.frontend.listener;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The allow-list of proxies: what it parses, what it refuses with which reason, and which peers it trusts. */
class TrustedProxiesTest {
    private static final String SETTING = "ESTUARY_TRUSTED_PROXIES";

    private static TrustedProxies parse(String list) {
        return TrustedProxies.parse(SETTING, list);
    }

    @Test
    void unsetOrBlankTrustsNoOne() {
        for (String list : new String[] { null, "", "  " }) {
            TrustedProxies none = parse(list);
            assertTrue(none.isEmpty());
            assertFalse(none.trusts("127.0.0.1"));
        }
    }

    @Test
    void singleAddressesTrustExactlyThemselves() {
        TrustedProxies proxies = parse("192.0.2.7, 2001:db8::7");
        assertFalse(proxies.isEmpty());
        assertTrue(proxies.trusts("192.0.2.7"));
        assertFalse(proxies.trusts("192.0.2.8"));
        assertTrue(proxies.trusts("2001:db8:0:0:0:0:0:7"));
        assertFalse(proxies.trusts("2001:db8::8"));
    }

    @Test
    void cidrsTrustTheirRange() {
        TrustedProxies proxies = parse("10.0.0.0/8,fd00::/8,198.51.100.64/26");
        assertTrue(proxies.trusts("10.1.2.3"));
        assertFalse(proxies.trusts("11.0.0.1"));
        assertTrue(proxies.trusts("fd12:3456::1"));
        assertFalse(proxies.trusts("fe80::1"));
        assertTrue(proxies.trusts("198.51.100.127"));
        assertFalse(proxies.trusts("198.51.100.128"));
        assertFalse(proxies.trusts("198.51.100.63"));
    }

    @Test
    void anIpv4RangeTrustsAnIpv4MappedPeer() {
        assertTrue(parse("10.0.0.0/8").trusts("::ffff:10.0.0.1"));
    }

    @Test
    void unknownOrUnparsablePeersAreNotTrusted() {
        TrustedProxies everyone = parse("0.0.0.0/0,::/0");
        assertTrue(everyone.trusts("203.0.113.9"));
        assertFalse(everyone.trusts(null));
        assertFalse(everyone.trusts("proxy.example"));
        assertFalse(everyone.trusts(""));
    }

    @Test
    void entriesThatAreNotAddressesOrCidrsAreRefusedWithTheSettingAndTheEntry() {
        assertRefused("proxy.example.com", "'proxy.example.com' is not an IP address or CIDR");
        assertRefused("10.0.0.1,localhost", "'localhost' is not an IP address or CIDR");
        assertRefused("10.0.0.0/33", "must be a number from 0 to 32");
        assertRefused("fd00::/129", "must be a number from 0 to 128");
        assertRefused("10.0.0.0/", "prefix length ''");
        assertRefused("10.0.0.0/-1", "prefix length '-1'");
        assertRefused("10.0.0.0/8x", "prefix length '8x'");
        assertRefused("10.0.0.256", "'10.0.0.256' is not an IP address");
        assertRefused("10.0.0.1,,10.0.0.2", "has an empty entry");
        assertRefused("10.0.0.1,", "has an empty entry");
    }

    private static void assertRefused(String list, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(list));
        assertTrue(e.getMessage().startsWith(SETTING), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
