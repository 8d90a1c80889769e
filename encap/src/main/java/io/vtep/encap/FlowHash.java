package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * The flow hash behind the outer UDP source port (RFC 7348 §5: "a hash of fields from the
 * inner packet", so that underlay ECMP and receive-side scaling spread flows while keeping
 * each flow on one path and in order). Pass the result to {@link SourcePortRange#sourcePort}.
 *
 * <p>Hashed, from the inner Ethernet frame: destination and source MAC and EtherType; for IPv4
 * and IPv6 also the source and destination address and the transport protocol; and for TCP,
 * UDP and SCTP the source and destination port, unless the packet is a fragment. Every
 * fragment of a datagram (the first one included) leaves the ports out, as the Linux flow
 * dissector does by default, so all fragments of one datagram hash alike and take the same
 * path. IPv6 extension headers (hop-by-hop, routing, destination options, fragment) are walked
 * to find the transport, at most {@value #MAX_EXTENSION_HEADERS} of them. A single 802.1Q tag
 * is skipped, although the pipeline hashes frames after stripping it.
 *
 * <p>Deterministic (no per-process seed: the same flow maps to the same port across restarts
 * and on every pipeline thread), allocation-free, and it never reads beyond
 * {@code frameLength}: a truncated frame hashes the fields it has. It is not symmetric: the
 * two directions of a conversation may take different ports (Linux's hash is symmetric; the
 * RFC does not ask for it).
 */
public final class FlowHash
{
    /** Bound on the IPv6 extension header walk, so a crafted chain costs little. */
    public static final int MAX_EXTENSION_HEADERS = 8;

    private static final long SEED = 0x5654_4550_0000_4789L;
    private static final long PRIME_1 = 0x9E37_79B9_7F4A_7C15L;
    private static final long PRIME_2 = 0xC2B2_AE3D_27D4_EB4FL;

    private FlowHash()
    {
    }

    /**
     * @param buffer      holding the inner Ethernet frame.
     * @param frameOffset of the first byte of the frame.
     * @param frameLength bytes of the frame available; nothing beyond is read.
     * @return a well-mixed 32-bit hash.
     */
    public static int hash(final DirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (frameLength < EthernetHeader.LENGTH)
        {
            // A runt has no fields worth hashing; all runts share a port.
            return finish(mix(SEED, frameLength));
        }

        final int end = frameOffset + frameLength;
        int etherType = buffer.getShort(frameOffset + EthernetHeader.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        int l3Offset = frameOffset + EthernetHeader.LENGTH;
        if (etherType == VlanTag.TPID && frameLength >= VlanTag.TAGGED_HEADER_LENGTH)
        {
            etherType = buffer.getShort(frameOffset + VlanTag.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            l3Offset = frameOffset + VlanTag.TAGGED_HEADER_LENGTH;
        }

        long h = SEED;
        h = mix(h, MacAddress.get(buffer, frameOffset + EthernetHeader.DESTINATION_OFFSET));
        h = mix(h, (MacAddress.get(buffer, frameOffset + EthernetHeader.SOURCE_OFFSET) << 16) | etherType);

        if (etherType == EthernetHeader.ETHER_TYPE_IPV4)
        {
            h = hashIpv4(buffer, l3Offset, end, h);
        }
        else if (etherType == EthernetHeader.ETHER_TYPE_IPV6)
        {
            h = hashIpv6(buffer, l3Offset, end, h);
        }

        return finish(h);
    }

    private static long hashIpv4(final DirectBuffer buffer, final int offset, final int end, final long seed)
    {
        if (end - offset < Ipv4Header.LENGTH)
        {
            return seed;
        }

        final int versionIhl = buffer.getByte(offset) & 0xFF;
        final int headerLength = (versionIhl & 0xF) << 2;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION || headerLength < Ipv4Header.LENGTH)
        {
            return seed;
        }

        long h = mix(seed, buffer.getLong(offset + Ipv4Header.SOURCE_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN));

        final int protocol = buffer.getByte(offset + Ipv4Header.PROTOCOL_OFFSET) & 0xFF;
        final int fragment = buffer.getShort(offset + Ipv4Header.FLAGS_FRAGMENT_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN) &
            (Ipv4Header.FLAG_MF | Ipv4Header.FRAGMENT_OFFSET_MASK);
        final int ports = fragment == 0 ? ports(buffer, offset + headerLength, end, protocol) : 0;

        return mix(h, ((long)protocol << 32) | (ports & 0xFFFF_FFFFL));
    }

    private static long hashIpv6(final DirectBuffer buffer, final int offset, final int end, final long seed)
    {
        if (end - offset < Ipv6Header.LENGTH || (buffer.getByte(offset) & 0xF0) != (Ipv6Header.VERSION << 4))
        {
            return seed;
        }

        long h = seed;
        for (int i = Ipv6Header.SOURCE_ADDRESS_OFFSET; i < Ipv6Header.LENGTH; i += 8)
        {
            h = mix(h, buffer.getLong(offset + i, ByteOrder.BIG_ENDIAN));
        }

        int nextHeader = buffer.getByte(offset + Ipv6Header.NEXT_HEADER_OFFSET) & 0xFF;
        int position = offset + Ipv6Header.LENGTH;
        boolean fragment = false;
        for (int i = 0; i < MAX_EXTENSION_HEADERS; i++)
        {
            if (nextHeader == IpProtocol.HOP_BY_HOP ||
                nextHeader == IpProtocol.ROUTING ||
                nextHeader == IpProtocol.DESTINATION_OPTIONS)
            {
                // RFC 8200 §4: Next Header, then Hdr Ext Len in 8-octet units beyond the first 8.
                if (end - position < 2)
                {
                    break;
                }
                final int extensionLength = ((buffer.getByte(position + 1) & 0xFF) + 1) << 3;
                nextHeader = buffer.getByte(position) & 0xFF;
                position += extensionLength;
            }
            else if (nextHeader == IpProtocol.FRAGMENT)
            {
                // RFC 8200 §4.5: offset and M flag in bytes 2-3. Offset 0 with M clear is an
                // "atomic fragment" (RFC 6946): a whole datagram, so its ports are hashed.
                if (end - position < 8)
                {
                    break;
                }
                fragment = (buffer.getShort(position + 2, ByteOrder.BIG_ENDIAN) & 0xFFF9) != 0;
                nextHeader = buffer.getByte(position) & 0xFF;
                position += 8;
            }
            else
            {
                break;
            }
        }

        final int ports = fragment ? 0 : ports(buffer, position, end, nextHeader);
        return mix(h, ((long)nextHeader << 32) | (ports & 0xFFFF_FFFFL));
    }

    private static int ports(final DirectBuffer buffer, final int l4Offset, final int end, final int protocol)
    {
        if (!IpProtocol.hasPorts(protocol) || end - l4Offset < 4)
        {
            return 0;
        }

        // Source and destination port are the first 4 bytes of TCP, UDP and SCTP alike.
        return buffer.getInt(l4Offset, ByteOrder.BIG_ENDIAN);
    }

    private static long mix(final long h, final long value)
    {
        return Long.rotateLeft(h ^ (value * PRIME_1), 31) * PRIME_2;
    }

    private static int finish(final long h)
    {
        return (int)(HashMixer.fmix64(h) >>> 32);
    }
}
