package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.testing.EthernetFrames;
import io.vtep.encap.MacAddress;

/**
 * The answers of ARP/ND suppression, built in place from the request (RFC 826 reply; RFC 4861 §7.2.4
 * solicited NA with the flags of RFC 9161 §3.2). The golden frames were checked once with tshark
 * ({@code tshark -V}: ARP reply fields, ICMPv6 checksum "[correct]", flags R/S/O).
 */
class NeighborProxyTest
{
    static final long HOST_1 = MacAddress.parse("02:00:00:00:00:01");
    static final long HOST_2 = MacAddress.parse("02:00:00:00:00:02");
    static final byte[] IP_1 = {10, 0, 0, 1};
    static final byte[] IP_2 = {10, 0, 0, 2};
    static final byte[] IP_3 = {10, 0, 0, 3};
    static final byte[] IPV6_1 = ipv6("2001:db8::1");
    static final byte[] IPV6_2 = ipv6("2001:db8::2");
    static final byte[] IPV6_3 = ipv6("2001:db8::3");

    /** h2 (10.0.0.2, 02:00:00:00:00:02) answering h1 (10.0.0.1, 02:00:00:00:00:01): Ethernet + ARP reply. */
    static final String GOLDEN_ARP_REPLY = "020000000001020000000002080600010800060400020200000000020a0000020200000000010a000001";
    /** h2 (2001:db8::2) answering h1 (2001:db8::1): Ethernet, IPv6, ICMPv6 NA with R, S, O and the target's MAC. */
    static final String GOLDEN_NA_ROUTER = "02000000000102000000000286dd6000000000203aff20010db800000000000000000000000220010db80000000000000000" +
        "0000000188000a71e000000020010db80000000000000000000000020201020000000002";

    private final NeighborProxy proxy = new NeighborProxy();
    private final NeighborTable table = new NeighborTable(16);

    @BeforeEach
    void bind()
    {
        table.put(0, NeighborTable.ipv4Low(ByteBuffer.wrap(IP_2).getInt()), HOST_2, NeighborTable.OVERRIDE);
        final ByteBuffer v6 = ByteBuffer.wrap(IPV6_2);
        table.put(v6.getLong(), v6.getLong(), HOST_2, NeighborTable.OVERRIDE);
    }

    static byte[] ipv6(final String text)
    {
        try
        {
            return InetAddress.getByName(text).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }

    /** Runs the proxy on a copy of the frame at offset 4 (as behind a batch's headroom). */
    private byte[] answer(final byte[] request, final int[] result)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[request.length + 8]);
        buffer.putBytes(4, request);
        result[0] = proxy.answer(buffer, 4, request.length, table);
        final byte[] out = new byte[Math.max(result[0], 0)];
        buffer.getBytes(4, out);
        return out;
    }

    private int outcome(final byte[] request)
    {
        final int[] result = new int[1];
        answer(request, result);
        return result[0];
    }

    @Test
    void arpRequestForABoundTargetBecomesTheTargetsReply()
    {
        final int[] result = new int[1];
        final byte[] reply = answer(EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2), result);

        assertEquals(42, result[0]);
        assertArrayEquals(EthernetFrames.arp(2, HOST_2, IP_2, HOST_1, IP_1), reply, "what h2 itself would send");
        assertEquals(GOLDEN_ARP_REPLY, HexFormat.of().formatHex(reply));
    }

    @Test
    void neighborSolicitationForABoundTargetBecomesASolicitedAdvertisement()
    {
        final int[] result = new int[1];
        final byte[] advertisement = answer(EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_2), result);

        assertEquals(NeighborProxy.NA_FRAME_LENGTH, result[0]);
        assertArrayEquals(EthernetFrames.neighborAdvertisement(HOST_2, IPV6_2, IPV6_2, HOST_1, IPV6_1), advertisement,
            "what h2 itself would send: Solicited and Override, checksum right");
    }

    @Test
    void routerBindingSetsTheRouterFlag()
    {
        final ByteBuffer v6 = ByteBuffer.wrap(IPV6_2);
        table.put(v6.getLong(), v6.getLong(), HOST_2, NeighborTable.ROUTER | NeighborTable.OVERRIDE);
        final int[] result = new int[1];
        final byte[] advertisement = answer(EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_2), result);

        assertEquals(0xE0, advertisement[14 + 40 + 4] & 0xFF, "R, S and O (RFC 4861 §4.4)");
        assertEquals(GOLDEN_NA_ROUTER, HexFormat.of().formatHex(advertisement));
    }

    @Test
    void withoutOverrideTheAdvertisementLeavesTheRequestersEntryAlone()
    {
        final ByteBuffer v6 = ByteBuffer.wrap(IPV6_2);
        table.put(v6.getLong(), v6.getLong(), HOST_2, 0);
        final int[] result = new int[1];
        final byte[] advertisement = answer(EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_2), result);

        assertEquals(0x40, advertisement[14 + 40 + 4] & 0xFF, "Solicited only");
    }

    @Test
    void unknownTargetsAreFlooded()
    {
        assertEquals(NeighborProxy.UNKNOWN_TARGET, outcome(EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_3)));
        assertEquals(NeighborProxy.UNKNOWN_TARGET, outcome(EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_3)));
    }

    @Test
    void announcementsAndAddressChecksAreNoRequests()
    {
        // Gratuitous ARP (RFC 5227 §3) announces a move: every host must hear it.
        assertEquals(NeighborProxy.NOT_A_REQUEST, outcome(EthernetFrames.arp(1, HOST_2, IP_2, 0, IP_2)));
        // An ARP probe (RFC 5227 §2.1.1) and a DAD solicitation (RFC 4862 §5.4.2) check for a duplicate.
        assertEquals(NeighborProxy.NOT_A_REQUEST, outcome(EthernetFrames.arp(1, HOST_1, new byte[4], 0, IP_2)));
        assertEquals(NeighborProxy.NOT_A_REQUEST, outcome(EthernetFrames.neighborSolicitation(HOST_1, new byte[16], IPV6_2)));
        // Replies and advertisements are no requests.
        assertEquals(NeighborProxy.NOT_A_REQUEST, outcome(EthernetFrames.arp(2, HOST_1, IP_1, HOST_2, IP_2)));
        assertEquals(NeighborProxy.NOT_A_REQUEST, outcome(EthernetFrames.neighborAdvertisement(HOST_1, IPV6_1, IPV6_1, HOST_2,
            IPV6_2)));
    }

    @Test
    void aHostAskingForItsOwnAddressIsNotAnswered()
    {
        assertEquals(NeighborProxy.UNKNOWN_TARGET, outcome(EthernetFrames.arp(1, HOST_2, IP_1, 0, IP_2)));
    }

    @Test
    void routedSolicitationIsNoRequest()
    {
        final byte[] frame = EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_2);
        frame[14 + 7] = 64; // RFC 4861 §7.1.1: hop limit must be 255

        assertEquals(NeighborProxy.NOT_A_REQUEST, outcome(frame));
    }
}
