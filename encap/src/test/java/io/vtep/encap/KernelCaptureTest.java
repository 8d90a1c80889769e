package io.vtep.encap;

import static io.vtep.encap.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden inputs from real peers (testdata/captures): decode what the Linux kernel's VXLAN
 * driver and FRR's hosts sent, and check that vtep writes the same outer headers as the kernel
 * byte for byte, except for fields where the difference is deliberate.
 */
class KernelCaptureTest
{
    private static final int VNI = 100;
    private static final long IPV6_MULTICAST_MAC_PREFIX = 0x3333_0000_0000L;

    /** A VXLAN packet found in a capture, located with the test header views. */
    record CapturedVxlan(PcapFile.Packet packet, UnsafeBuffer buffer, int ipOffset, boolean ipv6, int udpOffset, int udpLength)
    {
        int payloadOffset()
        {
            return udpOffset + UdpHeader.LENGTH;
        }

        int frameOffset()
        {
            return payloadOffset() + VxlanHeader.LENGTH;
        }

        int frameLength()
        {
            return udpLength - UdpHeader.LENGTH - VxlanHeader.LENGTH;
        }

        int headerLength()
        {
            return frameOffset() - ipOffset;
        }

        VtepAddress source()
        {
            return ipv6 ? VtepAddress.getIpv6(buffer, ipOffset + Ipv6Header.SOURCE_ADDRESS_OFFSET) :
                VtepAddress.getIpv4(buffer, ipOffset + Ipv4Header.SOURCE_ADDRESS_OFFSET);
        }

        VtepAddress destination()
        {
            return ipv6 ? VtepAddress.getIpv6(buffer, ipOffset + Ipv6Header.DESTINATION_ADDRESS_OFFSET) :
                VtepAddress.getIpv4(buffer, ipOffset + Ipv4Header.DESTINATION_ADDRESS_OFFSET);
        }

        int hopLimit()
        {
            return ipv6 ? new Ipv6HeaderView().wrap(buffer, ipOffset).hopLimit() : new Ipv4HeaderView().wrap(buffer, ipOffset).ttl();
        }

        int sourcePort()
        {
            return new UdpHeaderView().wrap(buffer, udpOffset).sourcePort();
        }

        int udpChecksum()
        {
            return new UdpHeaderView().wrap(buffer, udpOffset).checksum();
        }

        @Override
        public String toString()
        {
            return "packet " + packet.number();
        }
    }

    static List<CapturedVxlan> vxlanPackets(final String captureName)
    {
        final PcapFile capture = Captures.read(captureName);
        assertEquals(PcapFile.LINKTYPE_ETHERNET, capture.linkType(), captureName + " link type");

        final List<CapturedVxlan> packets = new ArrayList<>();
        for (final PcapFile.Packet packet : capture.packets())
        {
            assertEquals(packet.originalLength(), packet.data().length, captureName + " packet truncated by snaplen");
            final UnsafeBuffer buffer = new UnsafeBuffer(packet.data());
            final int ipOffset = capture.networkOffset(packet);
            final int ipLength = packet.data().length - ipOffset;
            final int protocol = capture.networkProtocol(packet);

            final int udpOffset;
            if (protocol == EthernetHeader.ETHER_TYPE_IPV4 && Ipv4HeaderView.isValid(buffer, ipOffset, ipLength))
            {
                final Ipv4HeaderView ip = new Ipv4HeaderView().wrap(buffer, ipOffset);
                if (ip.protocol() != IpProtocol.UDP)
                {
                    continue;
                }
                udpOffset = ip.payloadOffset();
            }
            else if (protocol == EthernetHeader.ETHER_TYPE_IPV6 && Ipv6HeaderView.isValid(buffer, ipOffset, ipLength))
            {
                final Ipv6HeaderView ip = new Ipv6HeaderView().wrap(buffer, ipOffset);
                if (ip.nextHeader() != IpProtocol.UDP)
                {
                    continue;
                }
                udpOffset = ip.payloadOffset();
            }
            else
            {
                continue;
            }

            final UdpHeaderView udp = new UdpHeaderView().wrap(buffer, udpOffset);
            final int udpAvailable = packet.data().length - udpOffset;
            if (UdpHeaderView.isValid(buffer, udpOffset, udpAvailable) && udp.destinationPort() == UdpHeader.VXLAN_PORT)
            {
                packets.add(new CapturedVxlan(
                    packet, buffer, ipOffset, protocol == EthernetHeader.ETHER_TYPE_IPV6, udpOffset, udp.length()));
            }
        }

        return packets;
    }

    @Test
    void capturesHoldTheExpectedVxlanPackets()
    {
        // ARP request + reply, 3 echo requests + replies, one 1300-byte echo + reply.
        assertEquals(10, vxlanPackets(Captures.KERNEL_VXLAN_IPV4).size());
        // The same plus one MLD report of a VTEP namespace, flooded into VNI 100.
        assertEquals(11, vxlanPackets(Captures.KERNEL_VXLAN_IPV6).size());
        // The data after the BGP exchange: 3 echo requests + replies, ARP request + reply.
        assertEquals(8, vxlanPackets(Captures.FRR_EVPN_IBGP).size());
    }

    static Stream<Arguments> capturesAndTheirHosts()
    {
        return Stream.of(
            Arguments.of(Captures.KERNEL_VXLAN_IPV4, 0x0230_0000_0001L, 0x0230_0000_0002L, 0),
            Arguments.of(Captures.KERNEL_VXLAN_IPV6, 0x0230_0000_0001L, 0x0230_0000_0002L, 1),
            Arguments.of(Captures.FRR_EVPN_IBGP, 0x0220_0000_0001L, 0x0220_0000_0002L, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturesAndTheirHosts")
    void decodesEveryVxlanPacket(final String captureName, final long host1, final long host2, final int mldReports)
    {
        int mldSeen = 0;
        for (final CapturedVxlan vxlan : vxlanPackets(captureName))
        {
            final String where = captureName + " " + vxlan;
            final VxlanHeaderView header = new VxlanHeaderView().wrap(vxlan.buffer(), vxlan.payloadOffset());
            assertEquals(VNI, VxlanDecoder.decode(vxlan.buffer(), vxlan.payloadOffset(), vxlan.udpLength() - UdpHeader.LENGTH), where);
            assertEquals(VxlanHeader.FLAG_I, header.flags(), where + ": only the I flag");
            assertEquals(0, header.reserved1(), where);
            assertEquals(0, header.reserved2(), where);

            final EthernetHeaderView inner = new EthernetHeaderView().wrap(vxlan.buffer(), vxlan.frameOffset());
            final long source = inner.sourceMac();
            final long destination = inner.destinationMac();
            if ((destination & 0xFFFF_0000_0000L) == IPV6_MULTICAST_MAC_PREFIX)
            {
                // The VTEP namespace's own MLD report (to ff02::16), flooded into the VNI: its
                // source is the namespace's bridge, not one of the two hosts.
                assertEquals(EthernetHeader.ETHER_TYPE_IPV6, inner.etherType(), where);
                assertEquals(0x3333_0000_0016L, destination, where);
                mldSeen++;
                continue;
            }

            assertTrue(source == host1 || source == host2, where + ": inner source " + MacAddress.format(source));
            assertTrue(destination == host1 || destination == host2 || destination == MacAddress.BROADCAST,
                where + ": inner destination " + MacAddress.format(destination));
            assertFalse(VlanTag.isTagged(vxlan.buffer(), vxlan.frameOffset()), where + ": RFC 7348 §6.1, untagged inner frames");
        }

        assertEquals(mldReports, mldSeen, captureName + " MLD reports");
    }

    /**
     * Re-encapsulates each inner frame the kernel sent, with the kernel's addresses, VNI, TTL
     * and UDP source port, and compares vtep's outer headers with the kernel's.
     *
     * <p>Fields that legitimately differ over IPv4 (every other byte must be identical):
     * <ul>
     *   <li>Identification: the kernel picks a per-destination counter value
     *       ({@code ip_select_ident}) because it leaves DF clear; vtep sets DF, which makes the
     *       datagram atomic, and writes 0 (RFC 6864 §4.1).</li>
     *   <li>Flags: the kernel's VXLAN device defaults to {@code df unset}, so its outer packets
     *       may be fragmented by the underlay; vtep sets DF, as the appliance never fragments
     *       (RFC 7348 §4.3) and counts oversize frames against the underlay MTU instead.</li>
     *   <li>Header checksum: follows from the two fields above. Patching vtep's header with the
     *       kernel's identification and flags reproduces the kernel's checksum exactly.</li>
     *   <li>UDP checksum: the kernel computes UDP checksums over IPv4 by default (the
     *       {@code udpcsum} option), and on veth the packet is captured before the checksum is
     *       finished (CHECKSUM_PARTIAL): the field holds only the folded pseudo-header sum.
     *       vtep sends 0, as RFC 7348 §5 recommends over IPv4.</li>
     * </ul>
     * Over IPv6 only the UDP checksum differs: the kernel's is the same unfinished pseudo-header
     * sum; vtep's is complete and must verify.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Captures.KERNEL_VXLAN_IPV4, Captures.KERNEL_VXLAN_IPV6})
    void vtepWritesTheKernelsOuterHeaders(final String captureName)
    {
        for (final CapturedVxlan kernel : vxlanPackets(captureName))
        {
            final String where = captureName + " " + kernel;
            final int kernelTtl = kernel.hopLimit();
            assertEquals(64, kernelTtl, where + ": kernel TTL (ip4_dst_hoplimit default, no ttl configured)");

            final VxlanEncapsulator encapsulator = new VxlanEncapsulator(kernel.source(), UdpHeader.VXLAN_PORT, kernelTtl);
            assertEquals(kernel.headerLength(), encapsulator.headerLength(), where);

            final byte[] frame = Bytes.copy(kernel.buffer(), kernel.frameOffset(), kernel.frameLength());
            final int frameOffset = 100;
            final UnsafeBuffer ours = Bytes.bufferWith(frame, frameOffset, 0);
            final int outer = encapsulator.encapsulate(
                ours, frameOffset, frame.length, VNI, kernel.destination(), kernel.sourcePort());
            assertEquals(frameOffset - encapsulator.headerLength(), outer, where);

            final byte[] expected = Bytes.copy(kernel.buffer(), kernel.ipOffset(), kernel.headerLength() + frame.length);
            final UnsafeBuffer expectedBuffer = new UnsafeBuffer(expected);
            final int udpChecksumOffset = encapsulator.ipHeaderLength() + UdpHeader.CHECKSUM_OFFSET;
            final int udpLength = kernel.udpLength();

            // The kernel's UDP checksum is the unfinished pseudo-header sum (CHECKSUM_PARTIAL on veth).
            final int kernelPseudoHeaderSum = kernel.ipv6() ?
                Checksum.ipv6PseudoHeaderSum(kernel.buffer(), kernel.ipOffset(), IpProtocol.UDP, udpLength) :
                Checksum.ipv4PseudoHeaderSum(kernel.buffer(), kernel.ipOffset(), IpProtocol.UDP, udpLength);
            assertEquals(kernelPseudoHeaderSum, kernel.udpChecksum(), where + ": kernel's partial UDP checksum");

            if (kernel.ipv6())
            {
                VxlanEncapsulatorTest.assertUdpChecksumVerifiesOverIpv6(ours, outer);
            }
            else
            {
                final Ipv4HeaderView kernelIp = new Ipv4HeaderView().wrap(expectedBuffer, 0);
                final Ipv4HeaderView ourIp = new Ipv4HeaderView().wrap(ours, outer);
                assertNotEquals(0, kernelIp.identification(), where + ": kernel identification");
                assertEquals(0, kernelIp.flagsAndFragmentOffset(), where + ": kernel leaves DF clear (df unset)");
                assertTrue(Checksum.isValidIpv4Header(expectedBuffer, 0, expected.length), where);
                assertEquals(0, ourIp.identification(), where);
                assertEquals(Ipv4Header.FLAG_DF, ourIp.flagsAndFragmentOffset(), where);
                assertEquals(0, ours.getShort(outer + udpChecksumOffset), where + ": our UDP checksum over IPv4");

                // With the kernel's identification and flags, our header checksum is the kernel's.
                final UnsafeBuffer patched = new UnsafeBuffer(Bytes.copy(ours, outer, Ipv4Header.LENGTH));
                new Ipv4HeaderView().wrap(patched, 0)
                    .identification(kernelIp.identification())
                    .flagsAndFragmentOffset(kernelIp.flagsAndFragmentOffset())
                    .updateHeaderChecksum();
                assertEquals(kernelIp.headerChecksum(), new Ipv4HeaderView().wrap(patched, 0).headerChecksum(), where);

                // Take our values of the deliberate differences, then demand byte identity.
                kernelIp.identification(ourIp.identification())
                    .flagsAndFragmentOffset(ourIp.flagsAndFragmentOffset())
                    .headerChecksum(ourIp.headerChecksum());
            }
            expectedBuffer.putShort(udpChecksumOffset, ours.getShort(outer + udpChecksumOffset));

            assertBytes(expected, ours, outer);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Captures.KERNEL_VXLAN_IPV4, Captures.KERNEL_VXLAN_IPV6, Captures.FRR_EVPN_IBGP})
    void ipv4HeaderChecksumsMatchTheKernels(final String captureName)
    {
        int checked = 0;
        for (final CapturedVxlan vxlan : vxlanPackets(captureName))
        {
            final List<Integer> ipv4Offsets = new ArrayList<>();
            if (!vxlan.ipv6())
            {
                ipv4Offsets.add(vxlan.ipOffset());
            }
            final EthernetHeaderView inner = new EthernetHeaderView().wrap(vxlan.buffer(), vxlan.frameOffset());
            if (inner.etherType() == EthernetHeader.ETHER_TYPE_IPV4)
            {
                ipv4Offsets.add(inner.payloadOffset());
            }

            for (final int offset : ipv4Offsets)
            {
                final String where = captureName + " " + vxlan + " IPv4 header at " + offset;
                final int available = vxlan.packet().data().length - offset;
                assertTrue(Checksum.isValidIpv4Header(vxlan.buffer(), offset, available), where);

                final UnsafeBuffer copy = new UnsafeBuffer(Bytes.copy(vxlan.buffer(), offset, Ipv4Header.LENGTH));
                final Ipv4HeaderView header = new Ipv4HeaderView().wrap(copy, 0);
                final int kernels = header.headerChecksum();
                header.headerChecksum(0x1234).updateHeaderChecksum();
                assertEquals(kernels, header.headerChecksum(), where);
                checked++;
            }
        }

        assertTrue(checked > 0, captureName + ": no IPv4 headers checked");
    }

    @Test
    void innerFramesHashToAStablePortInTheDefaultRange()
    {
        // vtep cannot reproduce the kernel's ports (siphash with a per-boot random key), but
        // its own choice must be stable per flow and inside the configured range.
        for (final CapturedVxlan vxlan : vxlanPackets(Captures.KERNEL_VXLAN_IPV4))
        {
            final int hash = FlowHash.hash(vxlan.buffer(), vxlan.frameOffset(), vxlan.frameLength());
            final UnsafeBuffer copy = new UnsafeBuffer(Bytes.copy(vxlan.buffer(), vxlan.frameOffset(), vxlan.frameLength()));
            assertEquals(hash, FlowHash.hash(copy, 0, vxlan.frameLength()));
            final int port = SourcePortRange.DEFAULT.sourcePort(hash);
            assertTrue(port >= 49152 && port <= 65535);
        }
    }

    @Test
    void kernelSourcePortsComeFromItsLocalPortRangeAndAreDirectionless()
    {
        // Observed, documented for whoever interoperates with these peers: with no "srcport"
        // configured Linux draws from net.ipv4.ip_local_port_range (32768-60999 by default),
        // not RFC 7348's 49152-65535, and its flow hash is symmetric: a request and its reply
        // carry the same source port. All ARP shares one port whatever the MACs (the hash of an
        // ARP packet has no addresses in it).
        final Set<Integer> arpPorts = new java.util.HashSet<>();
        for (final String name : List.of(Captures.KERNEL_VXLAN_IPV4, Captures.KERNEL_VXLAN_IPV6, Captures.FRR_EVPN_IBGP))
        {
            final List<CapturedVxlan> packets = vxlanPackets(name);
            for (final CapturedVxlan vxlan : packets)
            {
                assertTrue(vxlan.sourcePort() >= 32768 && vxlan.sourcePort() <= 60999, name + " " + vxlan);
                if (new EthernetHeaderView().wrap(vxlan.buffer(), vxlan.frameOffset()).etherType() == EthernetHeader.ETHER_TYPE_ARP)
                {
                    arpPorts.add(vxlan.sourcePort());
                }
            }
            final List<CapturedVxlan> pings = packets.stream()
                .filter(p -> new EthernetHeaderView().wrap(p.buffer(), p.frameOffset()).etherType() == EthernetHeader.ETHER_TYPE_IPV4)
                .toList();
            for (int i = 0; i + 1 < pings.size(); i += 2)
            {
                assertEquals(pings.get(i).sourcePort(), pings.get(i + 1).sourcePort(), name + " request/reply " + pings.get(i));
            }
        }
        assertEquals(Set.of(43497), arpPorts);
    }

    @Test
    void pcapReaderReadsTheGlobalHeader()
    {
        final PcapFile capture = Captures.read(Captures.KERNEL_VXLAN_IPV4);

        assertEquals(PcapFile.LINKTYPE_ETHERNET, capture.linkType());
        assertEquals(262144, capture.snapLength());
        assertEquals(10, capture.packets().size());
        assertEquals(92, capture.packets().get(0).data().length);
        assertEquals(1, capture.packets().get(0).number());
        assertTrue(capture.packets().get(1).timestampNanos() >= capture.packets().get(0).timestampNanos());
        assertEquals(0x0800, capture.networkProtocol(capture.packets().get(0)));
        assertEquals(14, capture.networkOffset(capture.packets().get(0)));
        assertEquals(0x45, capture.packets().get(0).data()[14]);
    }
}
