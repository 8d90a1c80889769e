package io.vtep.core.pipeline;

import java.nio.ByteOrder;
import java.util.Arrays;

import org.agrona.DirectBuffer;

import io.vtep.encap.EthernetHeader;
import io.vtep.encap.MacAddress;

/**
 * Finds the MAC + IP binding of a host in the ARP and IPv6 Neighbor Discovery frames it sends on an
 * access port, and offers it to a {@link NeighborQueue}, for EVPN MAC/IP Advertisement routes
 * (RFC 7432 §7.2). One instance per access pipeline (so per data-path thread); allocation-free.
 *
 * <ul>
 * <li>ARP request or reply (RFC 826, Ethernet/IPv4 only): sender hardware address + sender protocol
 * address. Probes (sender IP 0.0.0.0, RFC 5227 §2.1.1) claim nothing and are skipped.</li>
 * <li>Neighbor Solicitation (RFC 4861 §4.3): source link-layer address option + IPv6 source. The
 * unspecified source of duplicate address detection (RFC 4862 §5.4.2) is skipped; it carries no
 * source link-layer option anyway (RFC 4861 §4.3).</li>
 * <li>Neighbor Advertisement (RFC 4861 §4.4): target link-layer address option + target address.</li>
 * </ul>
 * ND messages must have hop limit 255 (RFC 4861 §7.1.1, proof they were not routed) and code 0;
 * extension headers before ICMPv6 are not followed (none are expected on ND). The ICMPv6 checksum is
 * not verified: the frame comes from a directly attached host, and the binding is only advertised.
 *
 * <p>Dedupe: a small direct-mapped cache remembers the last bindings offered and skips the same one
 * again within {@link #REFRESH_NANOS}, so an ARP storm costs a hash and a compare, not a queue slot.
 */
final class NeighborSnooper
{
    /** Offer an unchanged binding again after this long (the control plane may have lost it). */
    static final long REFRESH_NANOS = 10_000_000_000L;

    private static final int ARP_LENGTH = 28;
    private static final int ARP_HTYPE_ETHERNET = 1;
    private static final int ARP_PTYPE_IPV4 = 0x0800;
    private static final int ARP_SHA_OFFSET = 8;
    private static final int ARP_SPA_OFFSET = 14;

    private static final int IPV6_LENGTH = 40;
    private static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
    private static final int IPV6_NEXT_HEADER_OFFSET = 6;
    private static final int IPV6_HOP_LIMIT_OFFSET = 7;
    private static final int IPV6_SOURCE_OFFSET = 8;
    private static final int NEXT_HEADER_ICMPV6 = 58;
    private static final int ND_HOP_LIMIT = 255;
    private static final int ICMPV6_NEIGHBOR_SOLICITATION = 135;
    private static final int ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
    /** Type, code, checksum, reserved/flags, target address. */
    private static final int ND_TARGET_OFFSET = 8;
    private static final int ND_OPTIONS_OFFSET = 24;
    private static final int OPTION_SOURCE_LINK_LAYER_ADDRESS = 1;
    private static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;

    private static final int CACHE_SLOTS = 256;

    private final NeighborQueue queue;
    private final int[] cachedVni = new int[CACHE_SLOTS];
    private final long[] cachedMac = new long[CACHE_SLOTS];
    private final long[] cachedHigh = new long[CACHE_SLOTS];
    private final long[] cachedLow = new long[CACHE_SLOTS];
    private final long[] cachedAt = new long[CACHE_SLOTS];

    NeighborSnooper(final NeighborQueue queue)
    {
        this.queue = queue;
        Arrays.fill(cachedVni, -1);
    }

    /**
     * @param offset of an untagged frame (any 802.1Q tag already stripped)
     */
    void snoop(final DirectBuffer buffer, final int offset, final int length, final int vni, final long nowNanos)
    {
        final int etherType = buffer.getShort(offset + EthernetHeader.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (etherType == EthernetHeader.ETHER_TYPE_ARP)
        {
            arp(buffer, offset + EthernetHeader.LENGTH, length - EthernetHeader.LENGTH, vni,
                MacAddress.get(buffer, offset + EthernetHeader.SOURCE_OFFSET), nowNanos);
        }
        else if (etherType == EthernetHeader.ETHER_TYPE_IPV6)
        {
            neighborDiscovery(buffer, offset + EthernetHeader.LENGTH, length - EthernetHeader.LENGTH, vni, nowNanos);
        }
    }

    private void arp(final DirectBuffer buffer, final int arp, final int length, final int vni, final long source,
        final long nowNanos)
    {
        if (length < ARP_LENGTH ||
            (buffer.getShort(arp, ByteOrder.BIG_ENDIAN) & 0xFFFF) != ARP_HTYPE_ETHERNET ||
            (buffer.getShort(arp + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) != ARP_PTYPE_IPV4 ||
            buffer.getByte(arp + 4) != MacAddress.LENGTH || buffer.getByte(arp + 5) != 4)
        {
            return;
        }
        final int operation = buffer.getShort(arp + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (operation != 1 && operation != 2)
        {
            return;
        }
        final long mac = MacAddress.get(buffer, arp + ARP_SHA_OFFSET);
        final int address = buffer.getInt(arp + ARP_SPA_OFFSET, ByteOrder.BIG_ENDIAN);
        if (address == 0 || !isHostMac(mac) || mac != source)
        {
            // An ARP probe, a sender that is no host, or one speaking for another MAC (proxy ARP
            // or spoofing): only the frame's own source, the MAC the FDB learns, gets the binding.
            return;
        }
        final int slot = slot(vni, mac, address, 0);
        if (isFresh(slot, vni, mac, address, 0, nowNanos))
        {
            return;
        }
        if (queue.offerIpv4(vni, mac, address))
        {
            remember(slot, vni, mac, address, 0, nowNanos);
        }
    }

    private void neighborDiscovery(final DirectBuffer buffer, final int ip, final int length, final int vni,
        final long nowNanos)
    {
        if (length < IPV6_LENGTH + ND_OPTIONS_OFFSET ||
            (buffer.getByte(ip) & 0xF0) != 0x60 ||
            (buffer.getByte(ip + IPV6_NEXT_HEADER_OFFSET) & 0xFF) != NEXT_HEADER_ICMPV6 ||
            (buffer.getByte(ip + IPV6_HOP_LIMIT_OFFSET) & 0xFF) != ND_HOP_LIMIT)
        {
            return;
        }
        final int icmp = ip + IPV6_LENGTH;
        final int type = buffer.getByte(icmp) & 0xFF;
        if ((type != ICMPV6_NEIGHBOR_SOLICITATION && type != ICMPV6_NEIGHBOR_ADVERTISEMENT) || buffer.getByte(icmp + 1) != 0)
        {
            return;
        }
        // The IPv6 payload length bounds the options; trailing Ethernet padding is not an option.
        final int icmpLength = Math.min(buffer.getShort(ip + IPV6_PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF,
            length - IPV6_LENGTH);
        final boolean solicitation = type == ICMPV6_NEIGHBOR_SOLICITATION;
        final long mac = linkLayerAddress(buffer, icmp, icmpLength,
            solicitation ? OPTION_SOURCE_LINK_LAYER_ADDRESS : OPTION_TARGET_LINK_LAYER_ADDRESS);
        if (!isHostMac(mac))
        {
            return;
        }
        final int addressOffset = solicitation ? ip + IPV6_SOURCE_OFFSET : icmp + ND_TARGET_OFFSET;
        final long high = buffer.getLong(addressOffset, ByteOrder.BIG_ENDIAN);
        final long low = buffer.getLong(addressOffset + 8, ByteOrder.BIG_ENDIAN);
        if ((high == 0 && low == 0) || (high >>> 56) == 0xFF)
        {
            return; // unspecified (duplicate address detection) or multicast: no host's address
        }
        final int slot = slot(vni, mac, high, low);
        if (isFresh(slot, vni, mac, high, low, nowNanos))
        {
            return;
        }
        if (queue.offerIpv6(vni, mac, high, low))
        {
            remember(slot, vni, mac, high, low, nowNanos);
        }
    }

    /**
     * Walks the ND options (RFC 4861 §4.6: type, length in units of 8 bytes, value).
     *
     * @return the MAC of the first option of {@code wantedType}, or -1 when there is none (or the
     *     options are malformed)
     */
    private static long linkLayerAddress(final DirectBuffer buffer, final int icmp, final int icmpLength, final int wantedType)
    {
        int option = ND_OPTIONS_OFFSET;
        while (option + 2 <= icmpLength)
        {
            final int optionLength = (buffer.getByte(icmp + option + 1) & 0xFF) * 8;
            if (optionLength == 0 || option + optionLength > icmpLength)
            {
                return -1; // RFC 4861 §4.6: a zero length is invalid, and the message is discarded
            }
            if ((buffer.getByte(icmp + option) & 0xFF) == wantedType)
            {
                return optionLength >= 2 + MacAddress.LENGTH ? MacAddress.get(buffer, icmp + option + 2) : -1;
            }
            option += optionLength;
        }
        return -1;
    }

    private static boolean isHostMac(final long mac)
    {
        return mac >= 0 && !MacAddress.isGroup(mac) && !MacAddress.isZero(mac);
    }

    private static int slot(final int vni, final long mac, final long high, final long low)
    {
        long hash = mac * 0x9E3779B97F4A7C15L ^ high * 0xC2B2AE3D27D4EB4FL ^ low * 0x165667B19E3779F9L ^ vni;
        hash ^= hash >>> 29;
        return (int)hash & (CACHE_SLOTS - 1);
    }

    private boolean isFresh(final int slot, final int vni, final long mac, final long high, final long low, final long nowNanos)
    {
        return cachedVni[slot] == vni && cachedMac[slot] == mac && cachedHigh[slot] == high && cachedLow[slot] == low &&
            nowNanos - cachedAt[slot] < REFRESH_NANOS;
    }

    private void remember(final int slot, final int vni, final long mac, final long high, final long low, final long nowNanos)
    {
        cachedVni[slot] = vni;
        cachedMac[slot] = mac;
        cachedHigh[slot] = high;
        cachedLow[slot] = low;
        cachedAt[slot] = nowNanos;
    }
}
