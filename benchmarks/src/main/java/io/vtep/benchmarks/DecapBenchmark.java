package io.vtep.benchmarks;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

import io.vtep.encap.VlanTag;
import io.vtep.encap.VxlanDecoder;

/**
 * The receive side of {@code io.vtep.encap}:
 * <ul>
 *   <li>{@code decode}: {@link VxlanDecoder#decode} of a valid VXLAN header + 64-byte inner frame
 *   (length check, I flag, VNI).</li>
 *   <li>{@code vlanStripAndInsert}: {@link VlanTag#strip} of an 802.1Q tag (access ingress)
 *   followed by {@link VlanTag#insert} of it again (delivery to a tagged attachment); the pair
 *   leaves the buffer as it was, so each call does the same work.</li>
 * </ul>
 */
public class DecapBenchmark extends AverageTimeBenchmark
{
    static final int PAYLOAD_OFFSET = 64;
    static final int TAGGED_FRAME_OFFSET = 1024;
    static final int VLAN = 10;

    UnsafeBuffer buffer;
    int payloadLength;
    int tci;

    @Setup
    public void setUp()
    {
        buffer = Frames.nativeBuffer(4096);
        payloadLength = Frames.putVxlanPayload(buffer, PAYLOAD_OFFSET, 100, 64, 0x0200_0000_0001L, 0x0200_0000_000BL, 1);
        if (VxlanDecoder.decode(buffer, PAYLOAD_OFFSET, payloadLength) != 100)
        {
            throw new IllegalStateException("benchmark packet does not decode");
        }

        Frames.putIpv4UdpFrame(buffer, TAGGED_FRAME_OFFSET + VlanTag.LENGTH, 64, 0x0200_0000_0001L, 0x0200_0000_000BL, 1);
        if (Frames.tag(buffer, TAGGED_FRAME_OFFSET + VlanTag.LENGTH, VLAN) != TAGGED_FRAME_OFFSET ||
            VlanTag.vlanId(buffer, TAGGED_FRAME_OFFSET) != VLAN)
        {
            throw new IllegalStateException("benchmark frame is not tagged");
        }
        tci = VlanTag.tci(buffer, TAGGED_FRAME_OFFSET);
    }

    @Benchmark
    public int decode()
    {
        return VxlanDecoder.decode(buffer, PAYLOAD_OFFSET, payloadLength);
    }

    @Benchmark
    public int vlanStripAndInsert()
    {
        final int untagged = VlanTag.strip(buffer, TAGGED_FRAME_OFFSET);
        return VlanTag.insert(buffer, untagged, tci);
    }
}
