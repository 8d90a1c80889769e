package io.vtep.core.pipeline;

import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.HOST_2;
import static io.vtep.core.testing.TestNetwork.LOCAL;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static io.vtep.core.testing.TestNetwork.VTEP_B;
import static io.vtep.core.testing.TestNetwork.VTEP_C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
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
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;

/**
 * Per-VNI source membership (issue 15, failure 8) and storm control in the pipelines.
 *
 * <p>VNI 100 learns from the data plane and floods to VTEP B; VNI 300 learns from EVPN; VNI 400
 * learns from the data plane with an empty flood list and a static entry behind VTEP C. VNIs 100,
 * 300 and 400 accept only their members; VNI 500 accepts any VTEP. Port eth1 carries VNI 100
 * untagged, VLAN 30 → 300, VLAN 40 → 400, VLAN 50 → 500.
 */
class SourceChecksTest
{
    private static final VtepAddress VTEP_D = VtepAddress.parse("192.0.2.4");
    private static final long STATIC_MAC = MacAddress.parse("02:00:00:00:00:0c");

    private final RecordingPort eth1 = new RecordingPort("eth1");
    private final RecordingTransmitter underlay = new RecordingTransmitter();
    private Fdb fdb;
    private ForwardingTables tables;
    private CounterSnapshotSource counters;
    private OverlayPipeline fromOverlay;
    private AccessPipeline fromEth1;
    private PortContext port1;
    private VniContext vni100;
    private VniContext vni300;
    private VniContext vni400;
    private VniContext vni500;
    private RemoteVtep vtepB;
    private RemoteVtep vtepC;
    private RemoteVtep vtepD;
    private long now = 7_000_000_000L;

    @BeforeEach
    void buildTables()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(300, LearningMode.EVPN, 0, null);
        fdb.addVni(400, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(500, LearningMode.DATA_PLANE, 0, null);
        vtepB = fdb.remoteVteps().intern(VTEP_B);
        vtepC = fdb.remoteVteps().intern(VTEP_C);
        vtepD = fdb.remoteVteps().intern(VTEP_D);
        fdb.setFloodList(100, new RemoteVtep[] {vtepB});
        fdb.addStatic(400, STATIC_MAC, vtepC); // before the tables exist: seeded from the FDB
        tables = new ForwardingTables(fdb);
        vni100 = tables.addVni(100);
        vni300 = tables.addVni(300);
        vni400 = tables.addVni(400);
        vni500 = tables.addVni(500);
        vni100.membersOnly(true);
        vni300.membersOnly(true);
        vni400.membersOnly(true);
        port1 = tables.addPort(eth1);
        tables.attach(port1, Attachment.UNTAGGED, vni100);
        tables.attach(port1, 30, vni300);
        tables.attach(port1, 40, vni400);
        tables.attach(port1, 50, vni500);
        counters = new CounterSnapshotSource(new CounterLayout(4, 16));
        final DataPlane plane = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, underlay);
        fromOverlay = plane.overlayPipeline();
        fromEth1 = plane.accessPipeline(port1);
    }

    private static byte[] frame(final long destination, final long source)
    {
        return EthernetFrames.ethernet(destination, source, 60);
    }

    private void receiveFromOverlay(final VtepAddress vtep, final int vni, final byte[] inner)
    {
        final UnsafeBuffer buffer = PipelineInput.vxlanPayload(PipelineInput.FLAG_I, vni, inner);
        fromOverlay.onIpv4Datagram(buffer, PipelineInput.VXLAN_OFFSET, 8 + inner.length, vtep.ipv4(), now);
        fdb.conductor().doWork();
    }

    private void receiveOnAccess(final byte[] frame)
    {
        fromEth1.process(PipelineInput.batchOf(frame), now);
        fdb.conductor().doWork();
    }

    @Test
    void membersComeFromFloodListsStaticEntriesAndEvpnRoutes()
    {
        assertTrue(vni100.memberVteps().contains(vtepB.index()), "flood list");
        assertFalse(vni100.memberVteps().contains(vtepC.index()));
        assertTrue(vni400.memberVteps().contains(vtepC.index()), "static entry, installed before the tables");
        assertEquals(0, vni300.memberVteps().size(), "no EVPN route yet");

        fdb.putEvpn(300, REMOTE_HOST, vtepD);
        assertTrue(vni300.memberVteps().contains(vtepD.index()), "type-2 next hop");
        fdb.addToFloodList(300, vtepC);
        assertTrue(vni300.memberVteps().contains(vtepC.index()), "type-3 (flood list) next hop");

        fdb.putEvpn(300, REMOTE_HOST, vtepC); // the MAC moves to C: D has nothing left here
        assertFalse(vni300.memberVteps().contains(vtepD.index()));
        fdb.removeFromFloodList(300, vtepC);
        assertTrue(vni300.memberVteps().contains(vtepC.index()), "still the next hop of a type-2 route");
        fdb.remove(300, REMOTE_HOST, Origin.EVPN);
        assertEquals(0, vni300.memberVteps().size(), "route and flood entry withdrawn: no member left");

        fdb.setFloodList(100, new RemoteVtep[0]);
        assertFalse(vni100.memberVteps().contains(vtepB.index()), "taken off the flood list");
        assertFalse(vni100.memberVteps().contains(-1));
        assertFalse(vni100.memberVteps().contains(1 << 20), "beyond the table: never a member");
    }

    @Test
    void aVtepOfAnotherVniCannotInjectIntoAnEvpnVni()
    {
        // VTEP B belongs to VNI 100 only. Before source checks, VNI 300 took its frames because B
        // is in the shared remote VTEP table.
        receiveFromOverlay(VTEP_B, 300, frame(MacAddress.BROADCAST, REMOTE_HOST));

        assertTrue(eth1.sent.isEmpty(), "not delivered into VNI 300");
        assertEquals(1, counters.vniDrops(vni300.slot(), DropReason.NOT_VNI_MEMBER));

        fdb.putEvpn(300, MacAddress.parse("02:00:00:00:00:0d"), vtepB); // now B advertises a MAC in 300
        receiveFromOverlay(VTEP_B, 300, frame(MacAddress.BROADCAST, REMOTE_HOST));
        assertEquals(1, eth1.sent.size(), "an EVPN next hop of the VNI is accepted");
    }

    @Test
    void aDataPlaneVniWithAFloodListAcceptsOnlyItsMembersAndLearnsNothingFromOthers()
    {
        receiveFromOverlay(VTEP_C, 100, frame(MacAddress.BROADCAST, REMOTE_HOST));
        assertTrue(eth1.sent.isEmpty());
        assertEquals(1, counters.vniDrops(vni100.slot(), DropReason.NOT_VNI_MEMBER));
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(REMOTE_HOST), "a foreign VTEP teaches no MAC");

        final VtepAddress stranger = VtepAddress.parse("203.0.113.9");
        final int vteps = fdb.remoteVteps().size();
        receiveFromOverlay(stranger, 100, frame(MacAddress.BROADCAST, REMOTE_HOST));
        assertEquals(vteps, fdb.remoteVteps().size(), "a stranger is not interned for a members-only VNI");
        assertEquals(2, counters.vniDrops(vni100.slot(), DropReason.NOT_VNI_MEMBER));

        receiveFromOverlay(VTEP_B, 100, frame(MacAddress.BROADCAST, REMOTE_HOST));
        assertEquals(1, eth1.sent.size(), "the flood-list member is accepted");
        assertEquals(FdbEntry.remote(vtepB.index(), Origin.REMOTE), fdb.vni(100).lookup(REMOTE_HOST));

        receiveFromOverlay(VTEP_C, 400, frame(MacAddress.BROADCAST, REMOTE_HOST));
        assertEquals(2, eth1.sent.size(), "the VTEP of a static entry is a member of that VNI");
    }

    @Test
    void acceptFromAnyTakesEveryVtep()
    {
        receiveFromOverlay(VtepAddress.parse("203.0.113.10"), 500, frame(MacAddress.BROADCAST, REMOTE_HOST));

        assertEquals(1, eth1.sent.size());
        assertEquals(0, counters.vniDrops(vni500.slot(), DropReason.NOT_VNI_MEMBER));
    }

    @Test
    void portStormControlCapsBroadcastButNotKnownUnicast()
    {
        port1.stormControl(new StormControl(3, 0, 0, 0, now));
        fdb.addStatic(100, HOST_2, vtepB); // a known remote MAC
        final int before = underlay.sent.size();

        for (int i = 0; i < 10; i++)
        {
            receiveOnAccess(frame(MacAddress.BROADCAST, HOST_1));
        }
        assertEquals(3, underlay.sent.size() - before, "a burst of 3 broadcasts, one flood copy each");
        assertEquals(7, counters.vniDrops(vni100.slot(), DropReason.STORM_CONTROL));

        for (int i = 0; i < 10; i++)
        {
            receiveOnAccess(frame(HOST_2, HOST_1));
        }
        assertEquals(13, underlay.sent.size() - before, "known unicast is never limited");

        now += 1_000_000_000L;
        receiveOnAccess(frame(MacAddress.BROADCAST, HOST_1));
        assertEquals(14, underlay.sent.size() - before, "a second later the bucket has refilled");
    }

    @Test
    void vniStormControlCapsUnknownUnicastFromTheOverlay()
    {
        vni100.stormControl(new StormControl(0, 0, 2, 0, now));

        for (int i = 0; i < 5; i++)
        {
            receiveFromOverlay(VTEP_B, 100, frame(MacAddress.parse("02:00:00:00:00:99"), REMOTE_HOST));
        }
        assertEquals(2, eth1.sent.size());
        assertEquals(3, counters.vniDrops(vni100.slot(), DropReason.STORM_CONTROL));
        assertNull(vni300.stormControl(), "off unless configured");
    }

    @Test
    void sourceChecksAndStormControlAllocateNothingPerFrame()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        eth1.refuse = true; // takes nothing and records nothing (recording allocates)
        final DiscardingTransmitter discard = new DiscardingTransmitter();
        port1.stormControl(new StormControl(1000, 1000, 1000, 0, now));
        vni100.stormControl(new StormControl(1000, 1000, 1000, 0, now));
        final DataPlane plane = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, discard);
        final AccessPipeline access = plane.accessPipeline(port1);
        final OverlayPipeline overlay = plane.overlayPipeline();
        final FrameBatch batch = new FrameBatch(1);
        final byte[] broadcast = frame(MacAddress.BROADCAST, HOST_1);
        final UnsafeBuffer datagram = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final byte[] inner = frame(MacAddress.BROADCAST, REMOTE_HOST);
        final VtepAddress[] senders = {VTEP_B, VTEP_C}; // a member and a stranger to VNI 100
        long allocated = 0;
        for (int round = 0; round < 2; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++)
            {
                now += 100_000L; // 10k frames a second: over every rate, so buckets refuse and refill
                PipelineInput.refill(batch, broadcast);
                access.process(batch, now);
                for (final VtepAddress from : senders)
                {
                    final int length = PipelineInput.putVxlan(datagram, 32, PipelineInput.FLAG_I, 100, inner);
                    overlay.onIpv4Datagram(datagram, 32, length, from.ipv4(), now);
                }
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        System.out.printf("source checks + storm control: %d bytes allocated for 60000 frames%n", allocated);
        assertTrue(counters.vniDrops(vni100.slot(), DropReason.STORM_CONTROL) > 0, "the buckets did refuse");
        assertTrue(counters.vniDrops(vni100.slot(), DropReason.NOT_VNI_MEMBER) >= 40_000, "VTEP C was refused each time");
        assertTrue(allocated <= 4_096, allocated + " bytes allocated for 60,000 frames");
    }
}
