package io.vtep.benchmarks;

import java.nio.ByteOrder;

import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.encap.EthernetHeader;
import io.vtep.encap.Ipv4Header;
import io.vtep.encap.MacAddress;
import io.vtep.encap.UdpHeader;
import io.vtep.encap.VlanTag;
import io.vtep.encap.VxlanHeader;

/**
 * Builds the frames and packets the benchmarks work on, in native memory as the data path sees
 * them. Set-up code only: it may allocate.
 */
final class Frames
{
    /** The JVM flags every fork needs: Agrona reaches jdk.internal.misc, FFM needs native access. */
    static final String ADD_OPENS = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** Smallest frame that carries Ethernet + IPv4 + UDP headers. */
    static final int MIN_IPV4_UDP_FRAME = EthernetHeader.LENGTH + Ipv4Header.LENGTH + UdpHeader.LENGTH;

    private Frames()
    {
    }

    /** A native buffer aligned to a cache line, as a port driver's memory would be. */
    static UnsafeBuffer nativeBuffer(final int length)
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64));
    }

    /**
     * Writes an untagged Ethernet / IPv4 / UDP frame of exactly {@code frameLength} bytes (at
     * least {@link #MIN_IPV4_UDP_FRAME}): the headers the flow hash reads are all real.
     *
     * @param flow varies the IP addresses and UDP ports, so frames of different flows hash apart.
     */
    static void putIpv4UdpFrame(
        final MutableDirectBuffer buffer,
        final int offset,
        final int frameLength,
        final long destinationMac,
        final long sourceMac,
        final int flow)
    {
        if (frameLength < MIN_IPV4_UDP_FRAME)
        {
            throw new IllegalArgumentException("frame of " + frameLength + " bytes cannot hold Ethernet/IPv4/UDP");
        }

        MacAddress.put(buffer, offset + EthernetHeader.DESTINATION_OFFSET, destinationMac);
        MacAddress.put(buffer, offset + EthernetHeader.SOURCE_OFFSET, sourceMac);
        buffer.putShort(offset + EthernetHeader.ETHER_TYPE_OFFSET, (short)EthernetHeader.ETHER_TYPE_IPV4, ByteOrder.BIG_ENDIAN);

        final int ip = offset + EthernetHeader.LENGTH;
        final int ipLength = frameLength - EthernetHeader.LENGTH;
        buffer.putByte(ip, (byte)0x45);
        buffer.putByte(ip + Ipv4Header.TOS_OFFSET, (byte)0);
        buffer.putShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)ipLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ip + Ipv4Header.IDENTIFICATION_OFFSET, (short)flow, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET_OFFSET, (short)Ipv4Header.FLAG_DF, ByteOrder.BIG_ENDIAN);
        buffer.putByte(ip + Ipv4Header.TTL_OFFSET, (byte)64);
        buffer.putByte(ip + Ipv4Header.PROTOCOL_OFFSET, (byte)17);
        buffer.putShort(ip + Ipv4Header.HEADER_CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ip + Ipv4Header.SOURCE_ADDRESS_OFFSET, 0x0A00_0001 + (flow & 0xFF), ByteOrder.BIG_ENDIAN);
        buffer.putInt(ip + Ipv4Header.DESTINATION_ADDRESS_OFFSET, 0x0A00_0101 + ((flow >>> 8) & 0xFF), ByteOrder.BIG_ENDIAN);

        final int udp = ip + Ipv4Header.LENGTH;
        buffer.putShort(udp + UdpHeader.SOURCE_PORT_OFFSET, (short)(10_000 + flow), ByteOrder.BIG_ENDIAN);
        buffer.putShort(udp + UdpHeader.DESTINATION_PORT_OFFSET, (short)5_001, ByteOrder.BIG_ENDIAN);
        buffer.putShort(udp + UdpHeader.LENGTH_OFFSET, (short)(ipLength - Ipv4Header.LENGTH), ByteOrder.BIG_ENDIAN);
        buffer.putShort(udp + UdpHeader.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);

        for (int i = udp + UdpHeader.LENGTH, end = offset + frameLength; i < end; i++)
        {
            buffer.putByte(i, (byte)i);
        }
    }

    /**
     * Writes a VXLAN header (I flag set) followed by an untagged inner frame: a UDP payload as
     * the underlay socket hands it to the overlay pipeline.
     *
     * @return the UDP payload length: 8 + {@code innerFrameLength}.
     */
    static int putVxlanPayload(
        final MutableDirectBuffer buffer,
        final int offset,
        final int vni,
        final int innerFrameLength,
        final long destinationMac,
        final long sourceMac,
        final int flow)
    {
        buffer.putInt(offset, VxlanHeader.FLAG_I << 24, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + VxlanHeader.VNI_OFFSET, (vni & VxlanHeader.VNI_MASK) << 8, ByteOrder.BIG_ENDIAN);
        putIpv4UdpFrame(buffer, offset + VxlanHeader.LENGTH, innerFrameLength, destinationMac, sourceMac, flow);
        return VxlanHeader.LENGTH + innerFrameLength;
    }

    /**
     * Turns the untagged frame at {@code offset} into a tagged one that starts 4 bytes earlier
     * (the caller leaves that headroom).
     *
     * @return the offset of the tagged frame.
     */
    static int tag(final MutableDirectBuffer buffer, final int offset, final int vlan)
    {
        return VlanTag.insert(buffer, offset, VlanTag.tci(0, false, vlan));
    }

    /** A locally administered unicast MAC from any 64-bit value. */
    static long unicastMac(final long bits)
    {
        return (bits & MacAddress.BROADCAST & ~0x0100_0000_0000L) | 0x0200_0000_0000L;
    }
}
