package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the decoders of this module with whole packets as they appear on an underlay link: an
 * Ethernet frame, optionally 802.1Q-tagged, carrying IPv4 or IPv6, UDP to port 4789 (RFC 7348 §5),
 * the VXLAN header and the inner frame. The inner frame then goes through what the data path does
 * to a decapsulated frame: {@link ChecksumOffload#completeIfPartial} (OverlayPipeline) and, when it
 * is a super-frame, {@link SegmentationOffload#wrapForMtu} and every segment (LocalDelivery).
 *
 * <p>Each header is taken only after its {@code isValid} check, as a receiver must (RFC 1122
 * §3.2.1). The packet ends where its buffer ends, so a read past it throws instead of going
 * unnoticed.
 *
 * <p>Properties: no exception; every offset a header view hands out stays inside the packet;
 * {@link VxlanDecoder#decode} agrees with the {@link VxlanHeaderView} (the VNI, the I flag
 * rule of RFC 7348 §5); finishing a checksum writes only the two octets of its field; segments
 * lie inside the super-frame and carry its payload exactly once.
 *
 * <p>Corpus: src/test/resources/io/vtep/encap/DecapsulationFuzzTestInputs/underlayPacket/, seeded
 * with the packets of testdata/captures/kernel-vxlan-ipv4.pcap and kernel-vxlan-ipv6.pcap.
 */
class DecapsulationFuzzTest
{
    private static final int MTU = 1500;

    private final SegmentationOffload segmentation = new SegmentationOffload();

    @FuzzTest(maxDuration = "60s")
    void underlayPacket(final byte[] packet)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(packet.clone());
        final int length = packet.length;
        if (!EthernetHeaderView.isValid(length))
        {
            return;
        }
        final EthernetHeaderView ethernet = new EthernetHeaderView().wrap(buffer, 0);
        int network = ethernet.payloadOffset();
        int etherType = ethernet.etherType();
        if (VlanTag.isTagged(buffer, 0))
        {
            if (length < VlanTag.TAGGED_HEADER_LENGTH)
            {
                return;
            }
            assertTrue(VlanTag.vlanId(buffer, 0) <= VlanTag.VLAN_ID_MASK);
            network = VlanTag.TAGGED_HEADER_LENGTH;
            etherType = buffer.getShort(VlanTag.ETHER_TYPE_OFFSET, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }

        final int transport;
        final int transportLength;
        if (etherType == EthernetHeader.ETHER_TYPE_IPV4 && Ipv4HeaderView.isValid(buffer, network, length - network))
        {
            final Ipv4HeaderView ip = new Ipv4HeaderView().wrap(buffer, network);
            assertTrue(ip.payloadOffset() <= network + ip.totalLength() && network + ip.totalLength() <= length);
            if (ip.protocol() != IpProtocol.UDP)
            {
                return;
            }
            transport = ip.payloadOffset();
            transportLength = ip.totalLength() - ip.headerLength();
        }
        else if (etherType == EthernetHeader.ETHER_TYPE_IPV6 && Ipv6HeaderView.isValid(buffer, network, length - network))
        {
            final Ipv6HeaderView ip = new Ipv6HeaderView().wrap(buffer, network);
            assertTrue(ip.payloadOffset() + ip.payloadLength() <= length);
            if (ip.nextHeader() != IpProtocol.UDP)
            {
                return;
            }
            transport = ip.payloadOffset();
            transportLength = ip.payloadLength();
        }
        else
        {
            return;
        }
        if (!UdpHeaderView.isValid(buffer, transport, transportLength))
        {
            return;
        }
        final UdpHeaderView udp = new UdpHeaderView().wrap(buffer, transport);
        final int payload = udp.payloadOffset();
        final int payloadLength = udp.length() - UdpHeader.LENGTH;
        assertTrue(payload + payloadLength <= length);

        final int vni = VxlanDecoder.decode(buffer, payload, payloadLength);
        if (payloadLength < VxlanDecoder.MIN_LENGTH)
        {
            assertEquals(VxlanDecoder.MALFORMED, vni);
            return;
        }
        final VxlanHeaderView vxlan = new VxlanHeaderView().wrap(buffer, payload);
        if ((vxlan.flags() & VxlanHeader.FLAG_I) == 0)
        {
            assertEquals(VxlanDecoder.FLAGS, vni, "the I flag is clear: the VNI is not valid (RFC 7348 §5)");
            return;
        }
        assertEquals(vxlan.vni(), vni);
        assertTrue(vni <= VxlanHeader.MAX_VNI);

        final int frame = payload + VxlanDecoder.INNER_FRAME_OFFSET;
        final int frameLength = payloadLength - VxlanHeader.LENGTH;
        checksumCompletionStaysInItsField(buffer, frame, frameLength);
        segmentsCoverTheSuperFrame(buffer, frame, frameLength);
    }

    private static void checksumCompletionStaysInItsField(final UnsafeBuffer buffer, final int frame, final int frameLength)
    {
        final byte[] before = buffer.byteArray().clone();
        if (!ChecksumOffload.completeIfPartial(buffer, frame, frameLength))
        {
            assertArrayEquals(before, buffer.byteArray(), "a frame left alone is not written");
            return;
        }
        int changed = 0;
        int first = -1;
        for (int i = 0; i < before.length; i++)
        {
            if (before[i] != buffer.byteArray()[i])
            {
                assertTrue(i >= frame && i < frame + frameLength, "wrote outside the frame at " + i);
                first = first < 0 ? i : first;
                changed++;
            }
        }
        assertTrue(changed <= 2 && (changed < 2 || buffer.byteArray()[first + 1] != before[first + 1]),
            "only the checksum field changes");
    }

    private void segmentsCoverTheSuperFrame(final UnsafeBuffer buffer, final int frame, final int frameLength)
    {
        if (frameLength - EthernetHeader.LENGTH <= MTU)
        {
            return;
        }
        final byte[] superFrame = Arrays.copyOfRange(buffer.byteArray(), frame, frame + frameLength);
        final UnsafeBuffer copy = new UnsafeBuffer(superFrame);
        if (!segmentation.wrapForMtu(copy, 0, frameLength, MTU))
        {
            return;
        }
        final int segments = segmentation.segments();
        assertTrue(segments >= 1);
        int previousEnd = -1;
        int payload = 0;
        for (int i = 0; i < segments; i++)
        {
            final int offset = segmentation.segment(i);
            final int segmentLength = segmentation.segmentLength();
            assertTrue(offset >= 0 && offset + segmentLength <= frameLength, "segment " + i + " inside the super-frame");
            assertTrue(offset + segmentLength > previousEnd, "segments in increasing order");
            previousEnd = offset + segmentLength;
            payload = offset + segmentLength;
        }
        assertEquals(frameLength, payload, "the last segment ends where the super-frame ends");
    }
}
