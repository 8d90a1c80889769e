package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vtep.core.lacp.LacpActorIdentity;
import io.vtep.core.lacp.LacpAgent;
import io.vtep.core.lacp.LacpParticipant;
import io.vtep.core.lacp.LacpPdu;
import io.vtep.core.lacp.LacpPduQueue;
import io.vtep.core.lacp.LacpPort;
import io.vtep.core.lacp.LacpPortMachine;
import io.vtep.core.lacp.LacpState;
import io.vtep.core.testing.RecordingPort;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.controlplane.EvpnSettings;
import io.vtep.evpn.controlplane.EvpnVniSettings;
import io.vtep.evpn.multihoming.DfAlgorithm;
import io.vtep.evpn.multihoming.EthernetSegmentSettings;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;

/**
 * {@code GET /api/v1/es}: a segment down, then up with its DF election pending (its timer runs); a
 * segment of one VLAN of a port ({@code vlan-segments}) with its VLAN; a segment whose port runs LACP
 * with the port's LACP state.
 */
class SegmentDocumentsTest
{
    /** Segment 00:11:..:99 on acc1 and 00:11:..:01 on VLAN 20 of acc2, in VNI 100, their DF timers long enough never to run out here. */
    private static EvpnControlPlane controlPlane() throws Exception
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.EVPN, 0, null);
        final Inet4Address routerId = (Inet4Address)InetAddress.getByName("192.0.2.1");
        final EthernetSegmentSettings segment = new EthernetSegmentSettings("acc1", EthernetSegmentId.parse("00:11:22:33:44:55:66:77:88:99"),
            DfAlgorithm.MODULO, 0, Duration.ofSeconds(3600), false, List.of(100), Set.of(0));
        final EthernetSegmentSettings vlanSegment = new EthernetSegmentSettings("acc2", EthernetSegmentId.parse(
            "00:11:22:33:44:55:66:77:88:01"), DfAlgorithm.MODULO, 0, Duration.ofSeconds(3600), false, List.of(100), Set.of(1), 20);
        return new EvpnControlPlane(new EvpnSettings(65000, routerId, VtepAddress.of(routerId),
            List.of(EvpnVniSettings.auto(100)), 5, Duration.ofSeconds(180), null, List.of(segment, vlanSegment)), fdb);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstSegment(final String document)
    {
        return CliFormat.objects(((Map<String, Object>)JsonReader.parse(document)).get("segments")).getFirst();
    }

    @Test
    void showsEachSegmentWithItsStateAndDfPerVni() throws Exception
    {
        try (EvpnControlPlane evpn = controlPlane())
        {
            evpn.start();
            assertEquals("""
                {"segments":[{"esi":"00:11:22:33:44:55:66:77:88:99","port":"acc1","vlan":null,"state":"down","df_algorithm":"modulo",\
                "peers":[],"designated_forwarders":[{"vni":100,"vtep":null,"local":false}]},{"esi":"00:11:22:33:44:55:66:77:88:01",\
                "port":"acc2","vlan":20,"state":"down","df_algorithm":"modulo","peers":[],\
                "designated_forwarders":[{"vni":100,"vtep":null,"local":false}]}],"remote":[]}
                """, SegmentDocuments.of(evpn, port -> null));

            evpn.segmentPortState("acc1", true);
            evpn.awaitIdle(5_000);
            final Map<String, Object> segment = firstSegment(SegmentDocuments.of(evpn, port -> null));
            assertEquals("up", segment.get("state"));
            assertFalse(segment.containsKey("lacp"), "no LACP on the port, no lacp object");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSegmentWhosePortRunsLacpCarriesThePortsLacpObject() throws Exception
    {
        // The LACP port has heard the server's bond once: current, its partner known, waiting to aggregate.
        final LacpPduQueue queue = new LacpPduQueue(8);
        final LacpPort acc1 = new LacpPort(0, new RecordingPort("acc1"),
            new LacpPortMachine(new LacpActorIdentity(65535, MacAddress.parse("02:00:00:00:aa:01"), 4660, 255, 513), true, true), queue);
        final LacpAgent agent = new LacpAgent(queue, List.of(acc1), () -> 1_000_000_000L);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[LacpPdu.FRAME_LENGTH]);
        final long server = MacAddress.parse("00:11:22:33:44:55");
        new LacpPdu(new LacpParticipant(32768, server, 17, 255, 2, LacpState.ACTIVITY | LacpState.AGGREGATION), LacpParticipant.NONE, 0)
            .encodeFrame(frame, 0, server);
        agent.doWork();
        assertTrue(acc1.offer(frame, 0, LacpPdu.FRAME_LENGTH));
        agent.doWork();
        try (EvpnControlPlane evpn = controlPlane())
        {
            evpn.start();
            final String document = SegmentDocuments.of(evpn, port -> port.equals("acc1") ? acc1 : null);
            final Map<String, Object> lacp = (Map<String, Object>)firstSegment(document).get("lacp");
            final JsonWriter alone = new JsonWriter();
            LacpDocument.write(alone, acc1);
            assertEquals(JsonReader.parse(alone.toString()), lacp, "the object of GET /api/v1/ports: " + document);
            assertEquals(false, lacp.get("distributing"));
            assertEquals("current", lacp.get("receive_state"));
            assertEquals("waiting", lacp.get("mux_state"));
            final Map<String, Object> partner = (Map<String, Object>)lacp.get("partner");
            assertEquals("00:11:22:33:44:55", partner.get("system"));
            assertEquals(17L, ((Number)partner.get("key")).longValue());
        }
    }
}
