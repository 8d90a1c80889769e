package io.vtep.encap;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/** Builds inner Ethernet frames for tests with the test header views. */
final class TestFrames
{
    static final long MAC_1 = 0x0230_0000_0001L;
    static final long MAC_2 = 0x0230_0000_0002L;

    private TestFrames()
    {
    }

    /** Ethernet + IPv4 (IHL 5) + 8 bytes of transport header (ports first) + 12 bytes of payload. */
    static byte[] ipv4(
        final int source, final int destination, final int protocol,
        final int sourcePort, final int destinationPort, final int flagsAndFragmentOffset)
    {
        final int length = EthernetHeader.LENGTH + Ipv4Header.LENGTH + 20;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        new EthernetHeaderView().wrap(buffer, 0).destinationMac(MAC_2).sourceMac(MAC_1).etherType(EthernetHeader.ETHER_TYPE_IPV4);
        new Ipv4HeaderView().wrap(buffer, 14).versionAndIhl(4, 5).totalLength(length - 14)
            .flagsAndFragmentOffset(flagsAndFragmentOffset).ttl(64).protocol(protocol)
            .sourceAddress(source).destinationAddress(destination).updateHeaderChecksum();
        buffer.putShort(34, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(36, (short)destinationPort, ByteOrder.BIG_ENDIAN);
        return buffer.byteArray();
    }

    /**
     * Ethernet + IPv6 + the given extension headers (each 8 bytes, in order) + 8 bytes of
     * transport header + 12 bytes of payload.
     *
     * @param extensions pairs of (extension header type, fragment offset field for a fragment
     *                   header or 0).
     */
    static byte[] ipv6(
        final long sourceHigh, final long sourceLow, final int protocol,
        final int sourcePort, final int destinationPort, final int... extensions)
    {
        final int extensionCount = extensions.length / 2;
        final int length = EthernetHeader.LENGTH + Ipv6Header.LENGTH + 8 * extensionCount + 20;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        new EthernetHeaderView().wrap(buffer, 0).destinationMac(MAC_2).sourceMac(MAC_1).etherType(EthernetHeader.ETHER_TYPE_IPV6);
        new Ipv6HeaderView().wrap(buffer, 14).versionClassAndFlowLabel(6, 0, 0).payloadLength(length - 54)
            .nextHeader(extensionCount > 0 ? extensions[0] : protocol).hopLimit(64)
            .sourceAddress(sourceHigh, sourceLow).destinationAddress(0x2001_0DB8_0000_0000L, 0xFFFF);

        int at = 54;
        for (int i = 0; i < extensionCount; i++)
        {
            final int next = i + 1 < extensionCount ? extensions[2 * (i + 1)] : protocol;
            buffer.putByte(at, (byte)next);
            buffer.putByte(at + 1, (byte)0); // Hdr Ext Len 0: 8 bytes (fragment header: reserved)
            buffer.putShort(at + 2, (short)extensions[2 * i + 1], ByteOrder.BIG_ENDIAN);
            at += 8;
        }
        buffer.putShort(at, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(at + 2, (short)destinationPort, ByteOrder.BIG_ENDIAN);
        return buffer.byteArray();
    }
}
