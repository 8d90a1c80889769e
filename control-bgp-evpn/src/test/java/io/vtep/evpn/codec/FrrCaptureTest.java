package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.vtep.evpn.codec.attr.AsPath;
import io.vtep.evpn.codec.attr.AttributeType;
import io.vtep.evpn.codec.attr.ExtendedCommunities;
import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.attr.LocalPref;
import io.vtep.evpn.codec.attr.MpReachNlri;
import io.vtep.evpn.codec.attr.OriginAttribute;
import io.vtep.evpn.codec.attr.PathAttribute;
import io.vtep.evpn.codec.attr.PmsiTunnel;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.EvpnRoute;
import io.vtep.evpn.codec.nlri.InclusiveMulticastRoute;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/**
 * Decodes every BGP message FRR 8.4 sent in frr-evpn-ibgp.pcap (both directions of the three TCP
 * connections on port 179, reassembled) and re-encodes each to the captured octets.
 */
class FrrCaptureTest
{
    private static final String CAPTURE = "frr-evpn-ibgp.pcap";
    private static final CodecContext CONTEXT = CodecContext.FOUR_OCTET_AS;
    private static final Inet4Address VTEP_A = WireFormat.parseIpv4("198.51.100.1");
    private static final Inet4Address VTEP_B = WireFormat.parseIpv4("198.51.100.2");

    /**
     * A message as captured.
     *
     * @param stream  its TCP stream.
     * @param frame   the frame its first octet arrived in.
     * @param octets  the message's octets.
     * @param decoded the decoded message.
     */
    record Captured(TcpCapture.Stream stream, int frame, byte[] octets, BgpMessage decoded)
    {
        @Override
        public String toString()
        {
            return "frame " + frame + " " + stream.source() + " -> " + stream.destination() + ": " + decoded;
        }
    }

    private static List<TcpCapture.Stream> streams;
    private static List<Captured> messages;

    @BeforeAll
    static void decodeCapture()
    {
        streams = TcpCapture.read(TcpCapture.locate(CAPTURE), 179);
        messages = new ArrayList<>();
        for (final TcpCapture.Stream stream : streams)
        {
            final var in = Unpooled.wrappedBuffer(stream.bytes());
            while (in.isReadable())
            {
                final int start = in.readerIndex();
                final int length = BgpCodec.frameLength(in, CONTEXT);
                assertTrue(length > 0 && length <= in.readableBytes(), stream + ": message at octet " + start +
                    " is cut off by the end of the capture (" + in.readableBytes() + " octets left, header says " + length + ")");
                final byte[] octets = Arrays.copyOfRange(stream.bytes(), start, start + length);
                messages.add(new Captured(stream, stream.frameOfByte()[start], octets, BgpCodec.decode(in, CONTEXT)));
            }
        }
        messages.sort((a, b) -> Integer.compare(a.frame, b.frame));
        System.out.println("frr-evpn-ibgp.pcap: " + streams.size() + " TCP streams, " + messages.size() + " BGP messages");
        messages.forEach(message -> System.out.println("  " + message));
    }

    @Test
    void everyMessageIsFoundAndReEncodesToTheCapturedOctets()
    {
        assertEquals(6, streams.size(), "3 connections x 2 directions: " + streams);
        final Map<MessageType, Long> byType = messages.stream()
            .collect(Collectors.groupingBy(message -> message.decoded.type(), Collectors.counting()));
        assertEquals(Map.of(MessageType.OPEN, 4L, MessageType.NOTIFICATION, 4L, MessageType.KEEPALIVE, 6L, MessageType.UPDATE, 6L),
            byType, "what tshark shows: frames 1-40");
        for (final Captured message : messages)
        {
            assertEquals(hex(message.octets), hex(BgpCodec.encode(message.decoded, CONTEXT)), "re-encoding " + message);
            assertEquals(message.decoded, BgpCodec.decode(BgpCodec.encode(message.decoded, CONTEXT), CONTEXT), message.toString());
        }
    }

    @Test
    void opensCarryFrrsCapabilities()
    {
        final List<OpenMessage> opens = ofType(OpenMessage.class);
        assertEquals(List.of(11, 16, 18, 22), frames(OpenMessage.class), "collision: two OPENs each way");
        for (final OpenMessage open : opens)
        {
            assertEquals(4, open.version());
            assertEquals(65000, open.asn());
            assertEquals(65000, open.myAs());
            assertEquals(9, open.holdTime());
            assertTrue(open.supports(AddressFamily.L2VPN_EVPN));
            assertEquals(List.of(1, 128, 2, 70, 65, 6, 69, 73, 64, 71),
                open.capabilities().stream().map(Capability::code).toList(), "FRR's capability order");
            assertEquals(10, open.parameters().size(), "FRR sends one capability per optional parameter");
        }
        assertEquals(List.of(VTEP_B, VTEP_A, VTEP_A, VTEP_B), opens.stream().map(OpenMessage::bgpIdentifier).toList());
        assertEquals(GoldenMessageTest.frrOpen(), opens.getFirst());
    }

    @Test
    void notificationsAreHardResetThenCollisions()
    {
        final List<NotificationMessage> notifications = ofType(NotificationMessage.class);
        assertEquals(ErrorSubcode.HARD_RESET, notifications.getFirst().errorSubcode());
        assertEquals(ErrorSubcode.ADMINISTRATIVE_RESET, notifications.getFirst().hardResetCause().orElseThrow().errorSubcode());
        for (final NotificationMessage collision : notifications.subList(1, 4))
        {
            assertEquals(ErrorSubcode.CONNECTION_COLLISION_RESOLUTION, collision.errorSubcode());
            assertTrue(collision.data().isEmpty());
        }
    }

    @Test
    void updatesCarryType2Type3AndEndOfRibFromEachVtep()
    {
        for (final Inet4Address vtep : List.of(VTEP_A, VTEP_B))
        {
            final String source = vtep.equals(VTEP_A) ? "192.0.2.1:" : "192.0.2.2:";
            final List<UpdateMessage> updates = messages.stream()
                .filter(message -> message.stream.source().startsWith(source) && message.decoded instanceof UpdateMessage)
                .map(message -> (UpdateMessage)message.decoded).toList();
            assertEquals(3, updates.size(), "from " + vtep);
            final RouteDistinguisher rd = RouteDistinguisher.ofIpv4(vtep, 2);
            final ExtendedCommunity.RouteTarget rt = ExtendedCommunity.RouteTarget.ofAs2(65000, 100);
            final EvpnMac mac = EvpnMac.parse(vtep.equals(VTEP_A) ? "02:20:00:00:00:01" : "02:20:00:00:00:02");

            final UpdateMessage type2 = updates.get(0);
            assertEquals(ErrorAction.NONE, type2.action());
            assertEquals(List.of(MacIpAdvertisementRoute.of(rd, mac, null, 100)), type2.advertisedEvpnRoutes());
            assertEquals(100, ((MacIpAdvertisementRoute)type2.advertisedEvpnRoutes().getFirst()).vni());
            assertEquals(vtep, type2.mpReachNlri().orElseThrow().nextHopAddress().orElseThrow());
            assertEquals(List.of(AttributeType.MP_REACH_NLRI, AttributeType.ORIGIN, AttributeType.AS_PATH, AttributeType.LOCAL_PREF,
                AttributeType.EXTENDED_COMMUNITIES), typeCodes(type2), "FRR's attribute order for type 2");
            assertEquals(OriginAttribute.IGP, type2.attribute(OriginAttribute.class).orElseThrow());
            assertEquals(0x50, type2.attribute(AsPath.class).orElseThrow().flags(), "FRR sets Extended-Length on the empty AS_PATH");
            assertEquals(100, type2.attribute(LocalPref.class).orElseThrow().value());
            final ExtendedCommunities communities = type2.attribute(ExtendedCommunities.class).orElseThrow();
            assertEquals(List.of(ExtendedCommunity.Encapsulation.VXLAN, rt), communities.communities());

            final UpdateMessage type3 = updates.get(1);
            assertEquals(List.of(new InclusiveMulticastRoute(rd, 0, vtep)), type3.advertisedEvpnRoutes());
            assertEquals(List.of(AttributeType.MP_REACH_NLRI, AttributeType.ORIGIN, AttributeType.AS_PATH, AttributeType.LOCAL_PREF,
                AttributeType.EXTENDED_COMMUNITIES, AttributeType.PMSI_TUNNEL), typeCodes(type3), "FRR's attribute order for type 3");
            final PmsiTunnel pmsi = type3.attribute(PmsiTunnel.class).orElseThrow();
            assertEquals(PmsiTunnel.TUNNEL_TYPE_INGRESS_REPLICATION, pmsi.tunnelType());
            assertEquals(100, pmsi.vni());
            assertEquals(vtep, pmsi.tunnelEndpoint().orElseThrow());
            assertEquals(List.of(rt), type3.attribute(ExtendedCommunities.class).orElseThrow().routeTargets());
            assertEquals(MpReachNlri.DEFAULT_FLAGS, type3.mpReachNlri().orElseThrow().flags());

            assertEquals(AddressFamily.L2VPN_EVPN, updates.get(2).endOfRib().orElseThrow());
        }
    }

    @Test
    void vtepsBuildersWriteFrrsUpdatesOctetForOctet()
    {
        for (final Captured message : messages)
        {
            if (!(message.decoded instanceof UpdateMessage update) || update.advertisedEvpnRoutes().isEmpty())
            {
                continue;
            }
            final EvpnRoute route = update.advertisedEvpnRoutes().getFirst();
            final InetAddress vtep = update.mpReachNlri().orElseThrow().nextHopAddress().orElseThrow();
            final RouteDistinguisher rd = EvpnUpdates.autoRouteDistinguisher((Inet4Address)vtep, 2);
            final List<ExtendedCommunity.RouteTarget> rts = List.of(EvpnUpdates.autoRouteTarget(65000, 100));
            final UpdateMessage built = route instanceof MacIpAdvertisementRoute macIp ?
                EvpnUpdates.macIpAdvertisement(rd, 100, macIp.mac(), null, vtep, rts, 0, false, EvpnUpdates.PathOptions.ibgp()) :
                EvpnUpdates.inclusiveMulticast(rd, 100, vtep, rts, EvpnUpdates.PathOptions.ibgp());
            assertEquals(hex(message.octets), hex(BgpCodec.encode(built, CONTEXT)), message.toString());
        }
        assertEquals(hex(messages.stream().filter(m -> m.decoded instanceof UpdateMessage u && u.endOfRib().isPresent())
            .findFirst().orElseThrow().octets), hex(BgpCodec.encode(EvpnUpdates.endOfRib(), CONTEXT)));
    }

    private static <T extends BgpMessage> List<T> ofType(final Class<T> type)
    {
        return messages.stream().map(Captured::decoded).filter(type::isInstance).map(type::cast).toList();
    }

    private static List<Integer> frames(final Class<? extends BgpMessage> type)
    {
        return messages.stream().filter(message -> type.isInstance(message.decoded)).map(Captured::frame).toList();
    }

    private static List<Integer> typeCodes(final UpdateMessage update)
    {
        return update.pathAttributes().stream().map(PathAttribute::typeCode).toList();
    }

    @Test
    void keepalivesAndNothingMalformed()
    {
        assertEquals(6, ofType(KeepaliveMessage.class).size());
        assertFalse(ofType(UpdateMessage.class).stream().anyMatch(update -> update.action() != ErrorAction.NONE));
        assertInstanceOf(KeepaliveMessage.class, messages.getFirst().decoded, "frame 1 is a KEEPALIVE mid-session");
    }
}
