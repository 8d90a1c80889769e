package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.port.FrameBatch;
import io.vtep.core.testing.DiscardingTransmitter;
import io.vtep.core.testing.EthernetFrames;
import io.vtep.core.testing.PipelineInput;
import io.vtep.core.testing.RecordingPort;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.encap.MacAddress;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/**
 * ARP and Neighbor Discovery snooping on the access side (RFC 7432 §7.2 MAC/IP routes), with frames
 * as hosts send them: port eth1 untagged → VNI 100, VLAN 10 → VNI 200, port eth2 untagged → VNI 100.
 */
class NeighborSnoopingTest
{
    private static final long HOST_1 = MacAddress.parse("02:00:00:00:00:01");
    private static final long HOST_2 = MacAddress.parse("02:00:00:00:00:02");
    private static final byte[] IP_1 = {10, 0, 0, 1};
    private static final byte[] IP_2 = {10, 0, 0, 2};
    private static final byte[] ANY = {0, 0, 0, 0};
    private static final byte[] IPV6_1 = ipv6("2001:db8::1");
    private static final byte[] IPV6_2 = ipv6("2001:db8::2");
    private static final byte[] IPV6_ANY = ipv6("::");

    /** One neighbour handed to the control plane. */
    record Neighbor(int vni, long mac, InetAddress ip)
    {
    }

    private final RecordingPort eth1 = new RecordingPort("eth1");
    private final RecordingPort eth2 = new RecordingPort("eth2");
    private final NeighborQueue queue = new NeighborQueue(64);
    private final List<Neighbor> drained = new ArrayList<>();
    private ForwardingTables tables;
    private DataPlane plane;
    private PortContext port1;
    private AccessPipeline fromEth1;
    private long now = 1_000_000_000L;

    @BeforeEach
    void buildTables()
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.EVPN, 0, null);
        fdb.addVni(200, LearningMode.DATA_PLANE, 0, null);
        fdb.setFloodList(100, new RemoteVtep[] {fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2"))});
        tables = new ForwardingTables(fdb);
        final VniContext vni100 = tables.addVni(100);
        final VniContext vni200 = tables.addVni(200);
        port1 = tables.addPort(eth1);
        final PortContext port2 = tables.addPort(eth2);
        tables.attach(port1, Attachment.UNTAGGED, vni100);
        tables.attach(port1, 10, vni200);
        tables.attach(port2, Attachment.UNTAGGED, vni100);
        plane = new DataPlane(tables, new CounterSnapshotSource(new CounterLayout(2, 16)), VtepAddress.parse("192.0.2.1"),
            4789, 64, SourcePortRange.DEFAULT, 1500, new RecordingTransmitter());
        assertNull(plane.neighborQueue(), "off by default");
        fromEth1 = plane.neighborQueue(queue).accessPipeline(port1);
    }

    private static byte[] ipv6(final String text)
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

    private void receive(final AccessPipeline pipeline, final byte[] frame)
    {
        pipeline.process(PipelineInput.batchOf(frame), now);
    }

    private List<Neighbor> drain()
    {
        drained.clear();
        queue.drain((vni, mac, ip) -> drained.add(new Neighbor(vni, mac, ip)), 100);
        return drained;
    }

    private static Neighbor neighbor(final int vni, final long mac, final byte[] ip)
    {
        try
        {
            return new Neighbor(vni, mac, InetAddress.getByAddress(ip));
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }

    @Test
    void arpRequestTeachesTheSendersMacAndIp()
    {
        receive(fromEth1, EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2));

        assertEquals(List.of(neighbor(100, HOST_1, IP_1)), drain());
        assertEquals(1, eth2.sent.size(), "and the request is forwarded as before");
    }

    @Test
    void arpReplyTeachesTheSendersMacAndIp()
    {
        receive(fromEth1, EthernetFrames.arp(2, HOST_2, IP_2, HOST_1, IP_1));

        assertEquals(List.of(neighbor(100, HOST_2, IP_2)), drain());
    }

    @Test
    void arpProbeClaimsNothing()
    {
        // RFC 5227 §2.1.1: a probe has sender IP 0.0.0.0
        receive(fromEth1, EthernetFrames.arp(1, HOST_1, ANY, 0, IP_1));

        assertTrue(drain().isEmpty());
    }

    @Test
    void arpSpeakingForAnotherMacClaimsNothing()
    {
        // Proxy ARP or spoofing: the sender hardware address is not the frame's source.
        final byte[] frame = EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2);
        System.arraycopy(new byte[] {2, 0, 0, 0, 0, 0x77}, 0, frame, 6, 6);
        receive(fromEth1, frame);

        assertTrue(drain().isEmpty());
    }

    @Test
    void taggedArpIsTheNeighbourOfTheVlansVni()
    {
        receive(fromEth1, EthernetFrames.tagged(EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2), 10));

        assertEquals(List.of(neighbor(200, HOST_1, IP_1)), drain());
    }

    @Test
    void neighborSolicitationTeachesTheSourceLinkLayerAddressAndTheIpv6Source()
    {
        receive(fromEth1, EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_2));

        assertEquals(List.of(neighbor(100, HOST_1, IPV6_1)), drain());
    }

    @Test
    void neighborAdvertisementTeachesTheTargetLinkLayerAddressAndTheTarget()
    {
        receive(fromEth1, EthernetFrames.neighborAdvertisement(HOST_2, IPV6_2, IPV6_2, HOST_1, IPV6_1));

        assertEquals(List.of(neighbor(100, HOST_2, IPV6_2)), drain());
    }

    @Test
    void duplicateAddressDetectionClaimsNothing()
    {
        // RFC 4862 §5.4.2: source ::, no source link-layer address option
        receive(fromEth1, EthernetFrames.neighborSolicitation(HOST_1, IPV6_ANY, IPV6_1));

        assertTrue(drain().isEmpty());
    }

    @Test
    void routedNeighborDiscoveryIsIgnored()
    {
        final byte[] frame = EthernetFrames.neighborSolicitation(HOST_1, IPV6_1, IPV6_2);
        frame[14 + 7] = 64; // hop limit not 255: it crossed a router (RFC 4861 §7.1.1)

        receive(fromEth1, frame);

        assertTrue(drain().isEmpty());
    }

    @Test
    void truncatedArpAndOrdinaryTrafficAreIgnored()
    {
        final byte[] arp = EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2);
        receive(fromEth1, java.util.Arrays.copyOf(arp, 30));
        receive(fromEth1, EthernetFrames.ethernet(MacAddress.BROADCAST, HOST_1, 60));
        final byte[] na = EthernetFrames.neighborAdvertisement(HOST_2, IPV6_2, IPV6_2, HOST_1, IPV6_1);
        receive(fromEth1, java.util.Arrays.copyOf(na, na.length - 8)); // the option cut off

        assertTrue(drain().isEmpty());
    }

    @Test
    void theSameBindingIsOfferedOnceUntilItIsDueForARefresh()
    {
        final byte[] arp = EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2);
        receive(fromEth1, arp);
        receive(fromEth1, arp);
        assertEquals(1, drain().size(), "deduplicated");

        now += NeighborSnooper.REFRESH_NANOS;
        receive(fromEth1, arp);
        assertEquals(1, drain().size(), "offered again after the refresh interval");

        receive(fromEth1, EthernetFrames.arp(1, HOST_1, IP_2, 0, IP_1));
        assertEquals(List.of(neighbor(100, HOST_1, IP_2)), drain(), "a new IP for the MAC is offered at once");
    }

    @Test
    void aFullQueueDropsAndCounts()
    {
        final NeighborQueue small = new NeighborQueue(8);
        final AccessPipeline pipeline = plane.neighborQueue(small).accessPipeline(port1);
        for (int i = 1; i <= 10; i++)
        {
            receive(pipeline, EthernetFrames.arp(1, HOST_1, new byte[] {10, 0, 1, (byte)i}, 0, IP_2));
        }

        assertEquals(8, small.capacity());
        assertEquals(2, small.drops());
        assertEquals(8, small.drain((vni, mac, ip) ->
        {}, 100));

        receive(pipeline, EthernetFrames.arp(1, HOST_1, new byte[] {10, 0, 1, 10}, 0, IP_2));
        assertEquals(1, small.drain((vni, mac, ip) ->
        {}, 100), "a dropped binding is offered again next time");
    }

    @Test
    void noQueueNoSnooping()
    {
        final AccessPipeline pipeline = plane.neighborQueue(null).accessPipeline(port1);
        receive(pipeline, EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2));

        assertTrue(drain().isEmpty());
        assertEquals(1, eth2.sent.size(), "forwarding is unchanged");
    }

    /**
     * Snooping adds no allocation to the access path: ARP and NS/NA frames, each with a new binding
     * so that every one is parsed and queued, and the queue drained in between (the control thread's
     * side may allocate, so the drain is outside the measurement). Tolerance as in
     * AfPacketPortAllocationTest: a few KiB for the run, against 100+ KB for one object per frame.
     */
    @Test
    void snoopingAllocatesNothingPerFrame()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final FrameBatch batch = new FrameBatch(2);
        final byte[] arp = EthernetFrames.arp(1, HOST_1, IP_1, 0, IP_2);
        final byte[] na = EthernetFrames.neighborAdvertisement(HOST_2, IPV6_2, IPV6_2, HOST_1, IPV6_1);
        final NeighborHandler ignore = (vni, mac, ip) ->
        {};
        // ports and underlay that take frames without recording them (recording allocates)
        eth2.refuse = true;
        final DiscardingTransmitter discard = new DiscardingTransmitter();
        final AccessPipeline fromEth1 = new DataPlane(tables, new CounterSnapshotSource(new CounterLayout(2, 16)),
            VtepAddress.parse("192.0.2.1"), 4789, 64, SourcePortRange.DEFAULT, 1500, discard)
            .neighborQueue(queue).accessPipeline(port1);
        long allocated = 0;
        for (int round = 0; round < 2; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++)
            {
                arp[31] = (byte)i; // sender IP 10.0.0.x and a new IPv6 target each time: no dedupe
                na[14 + 40 + 8 + 15] = (byte)i;
                batch.clear();
                batch.buffer().putBytes(batch.slotFrameOffset(0), arp);
                batch.add(batch.slotFrameOffset(0), arp.length);
                batch.buffer().putBytes(batch.slotFrameOffset(1), na);
                batch.add(batch.slotFrameOffset(1), na.length);
                fromEth1.process(batch, now++);
                if ((i & 15) == 15)
                {
                    allocated -= threads.getCurrentThreadAllocatedBytes();
                    queue.drain(ignore, 64);
                    allocated += threads.getCurrentThreadAllocatedBytes();
                }
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before - allocated;
            if (round == 0)
            {
                allocated = 0; // warm-up: JIT, first-use allocations
            }
        }
        System.out.printf("NeighborSnooper: %d bytes allocated for 40000 frames%n", allocated);
        assertTrue(allocated <= 4_096, allocated + " bytes allocated for 40,000 ARP and NA frames");
    }
}
