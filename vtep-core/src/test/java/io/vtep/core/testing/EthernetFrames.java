package io.vtep.core.testing;

import java.nio.ByteBuffer;

/** Hand-built Ethernet frames for pipeline tests. */
public final class EthernetFrames
{
    private EthernetFrames()
    {
    }

    /**
     * An untagged IPv4-typed frame of {@code length} bytes (header included): destination,
     * source, EtherType 0x0800, then bytes counting up.
     */
    public static byte[] ethernet(final long destination, final long source, final int length)
    {
        final ByteBuffer frame = ByteBuffer.allocate(length);
        putMac(frame, destination);
        putMac(frame, source);
        frame.putShort((short)0x0800);
        while (frame.hasRemaining())
        {
            frame.put((byte)frame.position());
        }
        return frame.array();
    }

    /** The same frame with an 802.1Q tag (PCP 0) for {@code vlan} after the source MAC. */
    public static byte[] tagged(final byte[] untagged, final int vlan)
    {
        final byte[] frame = new byte[untagged.length + 4];
        System.arraycopy(untagged, 0, frame, 0, 12);
        frame[12] = (byte)0x81;
        frame[13] = 0x00;
        frame[14] = (byte)(vlan >> 8);
        frame[15] = (byte)vlan;
        System.arraycopy(untagged, 12, frame, 16, untagged.length - 12);
        return frame;
    }

    /**
     * An ARP frame (RFC 826) for Ethernet and IPv4: a request is broadcast, a reply goes to the
     * target. 42 bytes, as a host sends it (the NIC pads to 60).
     *
     * @param operation 1 request, 2 reply
     */
    public static byte[] arp(final int operation, final long senderMac, final byte[] senderIp, final long targetMac,
        final byte[] targetIp)
    {
        final ByteBuffer frame = ByteBuffer.allocate(42);
        putMac(frame, operation == 1 ? 0xFFFF_FFFF_FFFFL : targetMac);
        putMac(frame, senderMac);
        frame.putShort((short)0x0806);  // EtherType ARP
        frame.putShort((short)1);       // hardware type Ethernet
        frame.putShort((short)0x0800);  // protocol type IPv4
        frame.put((byte)6);             // hardware address length
        frame.put((byte)4);             // protocol address length
        frame.putShort((short)operation);
        putMac(frame, senderMac);       // sender hardware address
        frame.put(senderIp);            // sender protocol address
        putMac(frame, targetMac);       // target hardware address (0 in a request)
        frame.put(targetIp);            // target protocol address
        return frame.array();
    }

    /**
     * A Neighbor Solicitation (RFC 4861 §4.3) for {@code target}, to its solicited-node multicast
     * group, with a source link-layer address option unless the source is :: (duplicate address
     * detection, RFC 4862 §5.4.2). Hop limit 255, ICMPv6 checksum computed.
     */
    public static byte[] neighborSolicitation(final long sourceMac, final byte[] sourceIp, final byte[] target)
    {
        final boolean dad = isZero(sourceIp);
        final byte[] group = {(byte)0xFF, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte)0xFF, target[13], target[14], target[15]};
        final long groupMac = 0x3333_0000_0000L | ((group[12] & 0xFFL) << 24) | ((group[13] & 0xFFL) << 16) |
            ((group[14] & 0xFFL) << 8) | (group[15] & 0xFFL);
        final ByteBuffer icmp = ByteBuffer.allocate(dad ? 24 : 32);
        icmp.put((byte)135).put((byte)0).putShort((short)0); // type NS, code 0, checksum (below)
        icmp.putInt(0);                                       // reserved
        icmp.put(target);                                     // target address
        if (!dad)
        {
            icmp.put((byte)1).put((byte)1);                   // option: source link-layer address, 1 x 8 bytes
            putMac(icmp, sourceMac);
        }
        return ipv6Icmp(groupMac, sourceMac, sourceIp, group, icmp.array());
    }

    /**
     * A solicited Neighbor Advertisement (RFC 4861 §4.4) of {@code target} with a target link-layer
     * address option, unicast to the soliciting host. Hop limit 255, ICMPv6 checksum computed.
     */
    public static byte[] neighborAdvertisement(final long sourceMac, final byte[] sourceIp, final byte[] target,
        final long destinationMac, final byte[] destinationIp)
    {
        final ByteBuffer icmp = ByteBuffer.allocate(32);
        icmp.put((byte)136).put((byte)0).putShort((short)0); // type NA, code 0, checksum (below)
        icmp.putInt(0x6000_0000);                             // flags: solicited, override
        icmp.put(target);                                     // target address
        icmp.put((byte)2).put((byte)1);                       // option: target link-layer address, 1 x 8 bytes
        putMac(icmp, sourceMac);
        return ipv6Icmp(destinationMac, sourceMac, sourceIp, destinationIp, icmp.array());
    }

    private static byte[] ipv6Icmp(final long destinationMac, final long sourceMac, final byte[] sourceIp,
        final byte[] destinationIp, final byte[] icmp)
    {
        // ICMPv6 checksum over the pseudo-header (RFC 8200 §8.1) and the message
        final ByteBuffer pseudo = ByteBuffer.allocate(40 + icmp.length);
        pseudo.put(sourceIp).put(destinationIp).putInt(icmp.length).putInt(58).put(icmp);
        final int checksum = internetChecksum(pseudo.array());
        icmp[2] = (byte)(checksum >> 8);
        icmp[3] = (byte)checksum;

        final ByteBuffer frame = ByteBuffer.allocate(14 + 40 + icmp.length);
        putMac(frame, destinationMac);
        putMac(frame, sourceMac);
        frame.putShort((short)0x86DD);          // EtherType IPv6
        frame.putInt(0x6000_0000);              // version 6, traffic class 0, flow label 0
        frame.putShort((short)icmp.length);     // payload length
        frame.put((byte)58);                    // next header ICMPv6
        frame.put((byte)255);                   // hop limit: 255 for ND (RFC 4861 §7.1.1)
        frame.put(sourceIp);
        frame.put(destinationIp);
        frame.put(icmp);
        return frame.array();
    }

    private static int internetChecksum(final byte[] bytes)
    {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2)
        {
            sum += ((bytes[i] & 0xFF) << 8) | (i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0);
        }
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int)~sum & 0xFFFF;
    }

    private static boolean isZero(final byte[] address)
    {
        for (final byte b : address)
        {
            if (b != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void putMac(final ByteBuffer buffer, final long mac)
    {
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            buffer.put((byte)(mac >>> shift));
        }
    }
}
