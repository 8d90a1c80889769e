package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

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
 * segment of one VLAN of a port ({@code vlan-segments}) with its VLAN.
 */
class SegmentDocumentsTest
{
    @Test
    void showsEachSegmentWithItsStateAndDfPerVni() throws Exception
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.EVPN, 0, null);
        final Inet4Address routerId = (Inet4Address)InetAddress.getByName("192.0.2.1");
        final EthernetSegmentSettings segment = new EthernetSegmentSettings("acc1", EthernetSegmentId.parse("00:11:22:33:44:55:66:77:88:99"),
            DfAlgorithm.MODULO, 0, Duration.ofSeconds(3600), false, List.of(100), Set.of(0));
        final EthernetSegmentSettings vlanSegment = new EthernetSegmentSettings("acc2", EthernetSegmentId.parse(
            "00:11:22:33:44:55:66:77:88:01"), DfAlgorithm.MODULO, 0, Duration.ofSeconds(3600), false, List.of(100), Set.of(1), 20);
        try (EvpnControlPlane evpn = new EvpnControlPlane(new EvpnSettings(65000, routerId, VtepAddress.of(routerId),
            List.of(EvpnVniSettings.auto(100)), 5, Duration.ofSeconds(180), null, List.of(segment, vlanSegment)), fdb))
        {
            evpn.start();
            assertEquals("""
                {"segments":[{"esi":"00:11:22:33:44:55:66:77:88:99","port":"acc1","vlan":null,"state":"down","df_algorithm":"modulo",\
                "peers":[],"designated_forwarders":[{"vni":100,"vtep":null,"local":false}]},{"esi":"00:11:22:33:44:55:66:77:88:01",\
                "port":"acc2","vlan":20,"state":"down","df_algorithm":"modulo","peers":[],\
                "designated_forwarders":[{"vni":100,"vtep":null,"local":false}]}],"remote":[]}
                """, SegmentDocuments.of(evpn));

            evpn.segmentPortState("acc1", true);
            evpn.awaitIdle(5_000);
            @SuppressWarnings("unchecked")
            final Map<String, Object> document = (Map<String, Object>)JsonReader.parse(SegmentDocuments.of(evpn));
            final List<Map<String, Object>> segments = CliFormat.objects(document.get("segments"));
            assertEquals("up", segments.getFirst().get("state"));
        }
    }
}
