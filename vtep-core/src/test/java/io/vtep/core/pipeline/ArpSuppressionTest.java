package io.vtep.core.pipeline;

import static io.vtep.core.pipeline.NeighborProxyTest.HOST_1;
import static io.vtep.core.pipeline.NeighborProxyTest.HOST_2;
import static io.vtep.core.pipeline.NeighborProxyTest.IPV6_1;
import static io.vtep.core.pipeline.NeighborProxyTest.IPV6_2;
import static io.vtep.core.pipeline.NeighborProxyTest.IPV6_3;
import static io.vtep.core.pipeline.NeighborProxyTest.IP_1;
import static io.vtep.core.pipeline.NeighborProxyTest.IP_2;
import static io.vtep.core.pipeline.NeighborProxyTest.IP_3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.port.FrameBatch;
import io.vtep.core.testing.EthernetFrames;
import io.vtep.core.testing.RecordingPort;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/**
 * ARP/ND suppression in the access pipeline (RFC 7432 §10): eth1 untagged → VNI 100 (suppression
 * on), VLAN 10 → VNI 200 (on), VLAN 20 → VNI 300 (off); eth2 untagged → VNI 100; each VNI floods to
 * one remote VTEP too.
 */
class ArpSuppressionTest
{
    private final RecordingPort eth1 = new RecordingPort("eth1");
    private final RecordingPort eth2 = new RecordingPort("eth2");
    private final RecordingTransmitter underlay = new RecordingTransmitter();
    private final CounterSnapshotSource counters = new CounterSnapshotSource(new CounterLayout(3, 16));
    private final NeighborTable table100 = new NeighborTable(16);
    private final NeighborTable table200 = new NeighborTable(16);
    private AccessPipeline fromEth1;

    @BeforeEach
    void build()
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        final RemoteVtep remote = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2"));
        for (final int vni : new int[] {100, 200, 300})
        {
            fdb.addVni(vni, LearningMode.EVPN, 0, null);
            fdb.setFloodList(vni, new RemoteVtep[] {remote});
        }
        final ForwardingTables tables = new ForwardingTables(fdb);
        final VniContext vni100 = tables.addVni(100);
        final VniContext vni200 = tables.addVni(200);
        final VniContext vni300 = tables.addVni(300);
        vni100.neighbors(table100);
        vni200.neighbors(table200);
        final PortContext port1 = tables.addPort(eth1);
        final PortContext port2 = tables.addPort(eth2);
        tables.attach(port1, Attachment.UNTAGGED, vni100);
        tables.attach(port1, 10, vni200);
        tables.attach(port1, 20, vni300);
        tables.attach(port2, Attachment.UNTAGGED, vni100);
        fromEth1 = new DataPlane(tables, counters, VtepAddress.parse("192.0.2.1"), 4789, 64, SourcePortRange.DEFAULT, 1500,
            underlay).accessPipeline(port1);
        for (final NeighborTable table : new NeighborTable[] {table100, table200})
        {
            table.put(0, NeighborTable.ipv4Low(ByteBuffer.wrap(IP_2).getInt()), HOST_2, NeighborTable.OVERRIDE);
            final ByteBuffer v6 = ByteBuffer.wrap(IPV6_2);
            table.put(v6.getLong(), v6.getLong(), HOST_2, NeighborTable.OVERRIDE);
        }
    }

    private void receive(final byte[] frame)
    {
        final FrameBatch batch = new FrameBatch(1);
        batch.buffer().putBytes(batch.slotFrameOffset(0), frame);
        batch.add(batch.slotFrameOffset(0), frame.length);
        fromEth1.process(batch, 1_000_000_000L);
    }

    @Test
    void arpForABoundTargetIsAnsweredOnTheAccessPortAndNotFlooded()
    {
        receive(EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2));

        assertEquals(1, eth1.sent.size(), "the reply goes back where the request came from");
        assertArrayEquals(EthernetFrames.arp(2, HOST_2, IP_2, HOST_1, IP_1), eth1.sent.get(0));
        assertTrue(eth2.sent.isEmpty(), "not flooded to the other local port");
        assertTrue(underlay.sent.isEmpty(), "not flooded over the overlay");
        assertEquals(1, counters.vniSuppressAnswered(0));
        assertEquals(0, counters.vniFloodPackets(0));
    }

    @Test
    void neighborSolicitationForABoundTargetIsAnsweredAndNotFlooded()
    {
        receive(EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_2));

        assertEquals(1, eth1.sent.size());
        assertArrayEquals(EthernetFrames.neighborAdvertisement(HOST_2, IPV6_2, IPV6_2, HOST_1, IPV6_1), eth1.sent.get(0));
        assertTrue(eth2.sent.isEmpty());
        assertTrue(underlay.sent.isEmpty());
        assertEquals(1, counters.vniSuppressAnswered(0));
    }

    @Test
    void aTaggedRequestIsAnsweredOnItsVlan()
    {
        receive(EthernetFrames.tagged(EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2), 10));

        assertEquals(1, eth1.sent.size());
        assertArrayEquals(EthernetFrames.tagged(EthernetFrames.arp(2, HOST_2, IP_2, HOST_1, IP_1), 10), eth1.sent.get(0));
        assertTrue(underlay.sent.isEmpty());
        assertEquals(1, counters.vniSuppressAnswered(1));
    }

    @Test
    void anUnknownTargetIsFloodedAndCounted()
    {
        receive(EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_3));
        receive(EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_3));

        assertEquals(2, eth2.sent.size());
        assertEquals(2, underlay.sent.size());
        assertTrue(eth1.sent.isEmpty());
        assertEquals(2, counters.vniSuppressFlooded(0));
        assertEquals(0, counters.vniSuppressAnswered(0));
    }

    @Test
    void gratuitousArpAndDuplicateAddressDetectionStillFlood()
    {
        receive(EthernetFrames.arp(1, HOST_2, IP_2, 0, IP_2));
        receive(EthernetFrames.neighborSolicitation(HOST_1, new byte[16], IPV6_2));

        assertEquals(2, eth2.sent.size());
        assertEquals(2, underlay.sent.size());
        assertEquals(0, counters.vniSuppressAnswered(0));
        assertEquals(0, counters.vniSuppressFlooded(0), "not requests suppression could have answered");
    }

    @Test
    void withSuppressionOffTheRequestIsFlooded()
    {
        receive(EthernetFrames.tagged(EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2), 20));

        assertTrue(eth1.sent.isEmpty());
        assertEquals(1, underlay.sent.size(), "VNI 300 floods it over the overlay");
        assertEquals(0, counters.vniSuppressAnswered(2));
        assertEquals(0, counters.vniSuppressFlooded(2));
    }
}
