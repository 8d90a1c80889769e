package io.vtep.benchmarks;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.vtep.encap.FlowHash;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.UdpHeader;
import io.vtep.encap.VtepAddress;
import io.vtep.encap.VxlanEncapsulator;

/**
 * VXLAN encapsulation in place ({@code io.vtep.encap}): what the access pipeline does per frame
 * sent to a remote VTEP, and per extra copy of a head-end-replicated flood.
 *
 * <ul>
 *   <li>{@code encapsulate}: {@link FlowHash#hash} of the inner frame, {@link SourcePortRange#sourcePort},
 *   then {@link VxlanEncapsulator#encapsulate} (outer IPv4 with header checksum, or outer IPv6 with
 *   the UDP checksum over the whole frame), for a 64- and a 1400-byte inner frame.</li>
 *   <li>{@code retarget}: {@link VxlanEncapsulator#retarget} of an encapsulated packet to another
 *   VTEP (head-end replication: one encapsulation, then one retarget per extra flood-list
 *   entry); alternates between two VTEPs so every call really rewrites the address.</li>
 *   <li>{@code flowHash}: the flow hash and source port alone, for a breakdown of {@code encapsulate}.</li>
 * </ul>
 *
 * The inner frame is never modified, so calling {@code encapsulate} again on the same buffer
 * redoes exactly the same work.
 */
public class EncapBenchmark extends AverageTimeBenchmark
{
    static final int VNI = 100;
    /** Headroom in front of the inner frame, as in a FrameBatch slot. */
    static final int FRAME_OFFSET = 128;

    static VxlanEncapsulator encapsulator(final String underlay)
    {
        final VtepAddress local = "ipv6".equals(underlay) ?
            VtepAddress.parse("2001:db8::1") : VtepAddress.parse("198.51.100.1");
        return new VxlanEncapsulator(local, UdpHeader.VXLAN_PORT, 64);
    }

    static VtepAddress remote(final String underlay, final int host)
    {
        return "ipv6".equals(underlay) ?
            VtepAddress.parse("2001:db8::" + Integer.toHexString(host)) : VtepAddress.parse("198.51.100." + host);
    }

    @State(Scope.Thread)
    public static class EncapState
    {
        @Param({"64", "1400"})
        int frameLength;

        @Param({"ipv4", "ipv6"})
        String underlay;

        UnsafeBuffer buffer;
        VxlanEncapsulator encapsulator;
        SourcePortRange sourcePorts;
        VtepAddress remote;

        @Setup
        public void setUp()
        {
            buffer = Frames.nativeBuffer(FRAME_OFFSET + 2048);
            Frames.putIpv4UdpFrame(buffer, FRAME_OFFSET, frameLength, 0x0200_0000_000BL, 0x0200_0000_0001L, 1);
            encapsulator = encapsulator(underlay);
            sourcePorts = SourcePortRange.DEFAULT;
            remote = remote(underlay, 2);
            if (encapsulateFrame(this) < 0)
            {
                throw new IllegalStateException("encapsulation refused the benchmark frame");
            }
        }
    }

    @State(Scope.Thread)
    public static class RetargetState
    {
        @Param({"ipv4", "ipv6"})
        String underlay;

        UnsafeBuffer buffer;
        VxlanEncapsulator encapsulator;
        VtepAddress first;
        VtepAddress second;
        int outerOffset;
        int packetLength;
        boolean toFirst;

        @Setup
        public void setUp()
        {
            final int frameLength = 1400;
            buffer = Frames.nativeBuffer(FRAME_OFFSET + 2048);
            Frames.putIpv4UdpFrame(buffer, FRAME_OFFSET, frameLength, 0xFFFF_FFFF_FFFFL, 0x0200_0000_0001L, 1);
            encapsulator = encapsulator(underlay);
            first = remote(underlay, 2);
            second = remote(underlay, 3);
            outerOffset = encapsulator.encapsulate(buffer, FRAME_OFFSET, frameLength, VNI, first, 50_000);
            if (outerOffset < 0)
            {
                throw new IllegalStateException("encapsulation refused the benchmark frame");
            }
            packetLength = frameLength + encapsulator.headerLength();
        }
    }

    static int encapsulateFrame(final EncapState s)
    {
        final int sourcePort = s.sourcePorts.sourcePort(FlowHash.hash(s.buffer, FRAME_OFFSET, s.frameLength));
        return s.encapsulator.encapsulate(s.buffer, FRAME_OFFSET, s.frameLength, VNI, s.remote, sourcePort);
    }

    @Benchmark
    public int encapsulate(final EncapState s)
    {
        return encapsulateFrame(s);
    }

    @Benchmark
    public int retarget(final RetargetState s)
    {
        s.toFirst = !s.toFirst;
        s.encapsulator.retarget(s.buffer, s.outerOffset, s.packetLength, s.toFirst ? s.first : s.second);
        return s.outerOffset;
    }

    @State(Scope.Thread)
    public static class FlowHashState
    {
        UnsafeBuffer buffer;

        @Setup
        public void setUp()
        {
            buffer = Frames.nativeBuffer(FRAME_OFFSET + 2048);
            Frames.putIpv4UdpFrame(buffer, FRAME_OFFSET, 64, 0x0200_0000_000BL, 0x0200_0000_0001L, 1);
        }
    }

    @Benchmark
    public int flowHash(final FlowHashState s)
    {
        return SourcePortRange.DEFAULT.sourcePort(FlowHash.hash(s.buffer, FRAME_OFFSET, 64));
    }
}
