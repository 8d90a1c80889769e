package io.vtep.core.pipeline;

import static io.vtep.core.testing.TestNetwork.HOST_1;
import static io.vtep.core.testing.TestNetwork.LOCAL;
import static io.vtep.core.testing.TestNetwork.REMOTE_HOST;
import static io.vtep.core.testing.TestNetwork.VTEP_B;
import static io.vtep.core.testing.TestNetwork.VTEP_C;

import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.testing.EthernetFrames;
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
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * The data plane the pipeline fuzz targets feed, built like {@link PipelineTest}'s, with every kind
 * of FDB entry already in place so that one fuzzed frame can reach every branch: eth1 (untagged →
 * VNI 100, VLAN 10 → VNI 200), eth2 (untagged → VNI 100, VLAN 30 → VNI 300); VNI 100 floods to
 * {@link #VTEP_B} and {@link #VTEP_C}, VNI 200 to a multicast group, VNI 300 learns from EVPN.
 * {@link #HOST_1} is learned on eth1, {@link #REMOTE_HOST} behind {@link #VTEP_C} (VNI 100).
 *
 * <p>Its job in the fuzz targets is bookkeeping: {@link #outcomes()} sums every counter that says
 * what became of a packet, so a target can check that each input was either delivered somewhere
 * or dropped under a reason — never lost silently.
 */
final class FuzzNetwork
{
    static final int[] VNIS = {100, 200, 300};

    final RecordingPort eth1 = new RecordingPort("eth1");
    final RecordingPort eth2 = new RecordingPort("eth2");
    final RecordingTransmitter underlay = new RecordingTransmitter();
    /** Small queues and tables: one network per input, built some thousand times a second while fuzzing. */
    final Fdb fdb = new Fdb(FdbSettings.defaults().withLearnQueueCapacity(64).withRemoteVtepCapacity(16));
    final CounterSnapshotSource counters = new CounterSnapshotSource(new CounterLayout(3, 16));
    final AccessPipeline fromEth1;
    final AccessPipeline fromEth2;
    final OverlayPipeline fromOverlay;
    private final VniContext[] vnis;
    long now = 1_000_000_000L;

    FuzzNetwork()
    {
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(200, LearningMode.DATA_PLANE, 0, VtepAddress.parse("239.1.1.200"));
        fdb.addVni(300, LearningMode.EVPN, 0, null);
        final RemoteVtep c = fdb.remoteVteps().intern(VTEP_C);
        fdb.setFloodList(100, new RemoteVtep[] {fdb.remoteVteps().intern(VTEP_B), c});
        fdb.addStatic(100, REMOTE_HOST, c);
        final ForwardingTables tables = new ForwardingTables(fdb);
        vnis = new VniContext[] {tables.addVni(100), tables.addVni(200), tables.addVni(300)};
        final PortContext port1 = tables.addPort(eth1);
        final PortContext port2 = tables.addPort(eth2);
        tables.attach(port1, Attachment.UNTAGGED, vnis[0]);
        tables.attach(port1, 10, vnis[1]);
        tables.attach(port2, Attachment.UNTAGGED, vnis[0]);
        tables.attach(port2, 30, vnis[2]);
        final DataPlane plane = new DataPlane(tables, counters, LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500, underlay);
        fromEth1 = plane.accessPipeline(port1);
        fromEth2 = plane.accessPipeline(port2);
        fromOverlay = plane.overlayPipeline();

        final byte[] hello = EthernetFrames.ethernet(MacAddress.BROADCAST, HOST_1, 60);
        fromEth1.forward(new UnsafeBuffer(hello), 0, hello.length, now);
        fdb.conductor().doWork();
        eth1.sent.clear();
        eth2.sent.clear();
        underlay.sent.clear();
    }

    /** Packets counted as received into a VNI from {@code side}, over all VNIs. */
    long received(final Side side)
    {
        long total = 0;
        for (final VniContext vni : vnis)
        {
            total += counters.vniRxPackets(vni.slot(), side);
        }
        return total;
    }

    /** Packets dropped before a VNI was known (malformed, unknown VLAN or VNI, bad offload...). */
    long globalDrops()
    {
        long total = 0;
        for (final DropReason reason : DropReason.values())
        {
            total += counters.drops(reason);
        }
        return total;
    }

    /** Everything that says where a packet went: per-VNI drops, floods and copies sent either way. */
    long outcomes()
    {
        long total = globalDrops();
        for (final VniContext vni : vnis)
        {
            for (final DropReason reason : DropReason.values())
            {
                total += counters.vniDrops(vni.slot(), reason);
            }
            total += counters.vniFloodPackets(vni.slot()) + counters.vniTxPackets(vni.slot(), Side.ACCESS) +
                counters.vniTxPackets(vni.slot(), Side.OVERLAY);
        }
        return total;
    }
}
