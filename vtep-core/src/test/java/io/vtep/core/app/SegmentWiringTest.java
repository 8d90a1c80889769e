package io.vtep.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.testing.RecordingPort;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.multihoming.DfAlgorithm;
import io.vtep.evpn.multihoming.EthernetSegmentSettings;
import io.vtep.evpn.multihoming.EthernetSegmentView;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;

/**
 * A segment per VLAN of a port ({@code vlan-segments}): each segment carries its VLAN's VNI and
 * attachment only, and its DF and VTEPs (RFC 7432 §8.5, RFC 8365 §8.3.1 local bias) land in that
 * VLAN's filter only; the port's other VLANs keep theirs (or none: single-homed).
 */
class SegmentWiringTest
{
    private static final EthernetSegmentId ESI_10 = EthernetSegmentId.parse("00:11:22:33:44:55:66:77:88:01");
    private static final EthernetSegmentId ESI_20 = EthernetSegmentId.parse("00:11:22:33:44:55:66:77:88:02");

    private final VtepConfig config;
    private ForwardingTables tables;
    private Attachment vlan10;
    private Attachment vlan20;
    private Attachment vlan30;

    SegmentWiringTest() throws Exception
    {
        config = ConfigLoader.parse("""
            vtep: { local-ip: 192.0.2.1 }
            bgp: { asn: 65000, neighbors: [ { address: 192.0.2.9, remote-as: 65000 } ] }
            ports:
              - name: acc1
                vlans: { 10: 1000, 20: 2000, 30: 3000 }
                vlan-segments:
                  10: { esi: "00:11:22:33:44:55:66:77:88:01" }
                  20: { esi: "00:11:22:33:44:55:66:77:88:02", df-algorithm: preference, df-preference: 200 }
            """);
    }

    @BeforeEach
    void buildTables()
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        tables = new ForwardingTables(fdb);
        final PortContext port = tables.addPort(new RecordingPort("acc1"));
        for (final int vni : List.of(1000, 2000, 3000))
        {
            fdb.addVni(vni, LearningMode.EVPN, 0, null);
            tables.attach(port, vni / 100, tables.addVni(vni));
        }
        vlan10 = port.attachment(10);
        vlan20 = port.attachment(20);
        vlan30 = port.attachment(30);
    }

    @Test
    void eachVlansSegmentHasItsVniAndAttachmentOnly()
    {
        final List<EthernetSegmentSettings> segments = SegmentWiring.settings(config, tables);

        assertEquals(2, segments.size(), segments::toString);
        assertEquals(ESI_10, segments.get(0).esi());
        assertEquals(10, segments.get(0).vlan());
        assertEquals(List.of(1000), segments.get(0).vnis());
        assertEquals(Set.of(vlan10.id()), segments.get(0).attachments());
        assertEquals(ESI_20, segments.get(1).esi());
        assertEquals(20, segments.get(1).vlan());
        assertEquals(DfAlgorithm.PREFERENCE, segments.get(1).algorithm());
        assertEquals(List.of(2000), segments.get(1).vnis());
        assertEquals(Set.of(vlan20.id()), segments.get(1).attachments());
    }

    @Test
    void aVlansSegmentSetsTheFilterOfItsVlanOnly() throws Exception
    {
        final SegmentWiring wiring = new SegmentWiring(tables, tables.fdb().remoteVteps());
        final InetAddress local = InetAddress.getByName("192.0.2.1");
        final InetAddress other = InetAddress.getByName("192.0.2.3");

        // VLAN 10's segment: we are its DF; VLAN 20's: the other gateway is.
        wiring.segmentChanged(new EthernetSegmentView("acc1", ESI_10, true, DfAlgorithm.MODULO, List.of(1000), List.of(other),
            Map.of(1000, local), local, 10));
        assertTrue(vlan10.segment().isDesignatedForwarder());
        assertNull(vlan20.segment(), "VLAN 20 is another segment: not told yet");
        assertNull(vlan30.segment(), "VLAN 30 is single-homed: no filter");

        wiring.segmentChanged(new EthernetSegmentView("acc1", ESI_20, true, DfAlgorithm.PREFERENCE, List.of(2000), List.of(other),
            Map.of(2000, other), local, 20));
        assertFalse(vlan20.segment().isDesignatedForwarder());
        assertTrue(vlan10.segment().isDesignatedForwarder(), "VLAN 10 keeps its own segment's DF");
        assertNull(vlan30.segment());
    }
}
