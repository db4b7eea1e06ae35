package dev.mlops.ingest.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Tells public Internet addresses from the rest: private (RFC 1918, fc00::/7), loopback, link-local (including the
 * cloud metadata address 169.254.169.254), unspecified, shared (CGNAT), multicast, documentation and reserved
 * blocks. IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address.
 */
public final class PublicAddresses {

    private static final List<AddressRange> NOT_PUBLIC = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001::/32", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10",
            "ff00::/8").stream().map(AddressRange::parse).toList();

    private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");
    private static final AddressRange SIX_TO_FOUR = AddressRange.parse("2002::/16");

    private PublicAddresses() {
    }

    public static boolean isPublic(InetAddress address) {
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null) {
            return isPublic(embedded);
        }
        return NOT_PUBLIC.stream().noneMatch(range -> range.contains(address));
    }

    /** The IPv4 address inside an IPv6 one (::a.b.c.d, ::ffff:a.b.c.d, 64:ff9b::a.b.c.d, 2002:aabb:ccdd::), or null. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return null;
        }
        byte[] bytes = v6.getAddress();
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(bytes, 0, 10), new byte[10]);
        boolean mapped = firstTenZero && (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF;
        boolean compatible = firstTenZero && bytes[10] == 0 && bytes[11] == 0 && !isZeroOrOne(bytes);
        if (mapped || compatible || NAT64.contains(address)) {
            return ipv4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return ipv4(Arrays.copyOfRange(bytes, 2, 6));
        }
        return null;
    }

    private static boolean isZeroOrOne(byte[] bytes) {
        for (int i = 0; i < 15; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[15] == 0 || bytes[15] == 1;
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
