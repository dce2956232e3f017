package io.estuary.frontend.listener;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

/**
 * The proxies allowed to pass a client's certificate in a header: IPv4 and IPv6 addresses and CIDR ranges. Entries
 * must be address literals, never host names: trust is decided on the connection's peer address, and a name would
 * make it depend on DNS.
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<IpSubnetFilterRule> ranges;

    private TrustedProxies(List<IpSubnetFilterRule> ranges) {
        this.ranges = ranges;
    }

    /**
     * The allow-list from its setting: comma-separated addresses or CIDRs ({@code 10.0.0.0/8, fd00::/8,
     * 192.0.2.7}); null or blank is an empty list.
     *
     * @param setting the name of the setting, for the error message
     * @throws IllegalArgumentException naming the setting and the entry that is not an address or CIDR
     */
    public static TrustedProxies parse(String setting, String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<IpSubnetFilterRule> ranges = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException(setting + " has an empty entry in '" + list + "'");
            }
            ranges.add(range(setting, entry));
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    private static IpSubnetFilterRule range(String setting, String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(address);
        if (parsed == null) {
            throw new IllegalArgumentException(setting + ": '" + entry
                    + "' is not an IP address or CIDR (host names are not accepted)");
        }
        int maxPrefix = parsed.getAddress().length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String bits = entry.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > maxPrefix) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' has prefix length '" + bits
                        + "'; it must be a number from 0 to " + maxPrefix);
            }
            prefix = Integer.parseInt(bits);
        }
        return new IpSubnetFilterRule(parsed, prefix, IpFilterRuleType.ACCEPT);
    }

    /** Whether the list is empty: then no header is trusted and the mode is off. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether a peer, given as an address literal (as Vert.x reports it), is one of the proxies; false if unknown. */
    public boolean trusts(String peerAddress) {
        if (peerAddress == null || ranges.isEmpty()) {
            return false;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(peerAddress);
        if (address == null) {
            return false;
        }
        InetSocketAddress peer = new InetSocketAddress(address, 0);
        return ranges.stream().anyMatch(range -> range.matches(peer));
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "none" : ranges.size() + " range(s)";
    }
}
