package io.vtep.it;

import io.vtep.core.app.VtepAppliance;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.VniContext;
import io.vtep.encap.MacAddress;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;
import io.vtep.topology.Netns;
import io.vtep.topology.Topology;

/**
 * The appliance started inside this JVM with its sockets in a test namespace: the thread that
 * starts it enters the namespace first, and every socket and thread it makes inherits it. Lets a
 * test read the FDB and counters directly. Stopped with the topology.
 */
final class InProcessVtep implements AutoCloseable
{
    private final VtepAppliance appliance;

    private InProcessVtep(final VtepAppliance appliance)
    {
        this.appliance = appliance;
    }

    static InProcessVtep start(final Topology topology, final Netns netns, final String yaml) throws Exception
    {
        final VtepConfig config = ConfigLoader.parse(yaml);
        final InProcessVtep vtep = new InProcessVtep(NetworkNamespace.call(netns.name(), () -> VtepAppliance.start(config)));
        topology.onClose("in-process vtep in " + netns.name(), vtep::close);
        return vtep;
    }

    VtepAppliance appliance()
    {
        return appliance;
    }

    /** The FDB entry of {@code mac} in {@code vni}, described as "remote 192.0.2.2", "local acc1" or null. */
    String entry(final int vni, final String mac)
    {
        final long entry = appliance.fdb().vni(vni).lookup(MacAddress.parse(mac));
        if (entry == FdbEntry.NONE)
        {
            return null;
        }
        if (FdbEntry.isRemote(entry))
        {
            return "remote " + appliance.fdb().remoteVteps().byIndex(FdbEntry.vtepIndex(entry)).address();
        }
        final Attachment attachment = appliance.tables().attachment(FdbEntry.attachment(entry));
        return "local " + attachment;
    }

    /** The VNI's flood list (configured and from EVPN inclusive multicast routes), as addresses. */
    java.util.List<String> floodList(final int vni)
    {
        return java.util.Arrays.stream(appliance.fdb().vni(vni).floodList()).map(v -> v.address().toString()).toList();
    }

    /** The state of the BGP session with {@code neighbor} as vtep's speaker sees it ("Established", ...). */
    String bgpState(final String neighbor) throws java.net.UnknownHostException
    {
        return appliance.bgpSpeaker().peer(java.net.InetAddress.getByName(neighbor)).state();
    }

    Origin origin(final int vni, final String mac)
    {
        final long entry = appliance.fdb().vni(vni).lookup(MacAddress.parse(mac));
        return entry == FdbEntry.NONE ? null : FdbEntry.origin(entry);
    }

    /** The running FDB, for tests that look at its bounds and counters. */
    io.vtep.fdb.Fdb fdb()
    {
        return appliance.fdb();
    }

    private int slot(final int vni)
    {
        final VniContext context = appliance.vni(vni);
        return context.slot();
    }

    CounterSnapshotSource counters()
    {
        return appliance.counters();
    }

    long rxPackets(final int vni, final Side side)
    {
        return counters().vniRxPackets(slot(vni), side);
    }

    long txPackets(final int vni, final Side side)
    {
        return counters().vniTxPackets(slot(vni), side);
    }

    long floods(final int vni)
    {
        return counters().vniFloodPackets(slot(vni));
    }

    long drops(final int vni, final DropReason reason)
    {
        return counters().vniDrops(slot(vni), reason);
    }

    long drops(final DropReason reason)
    {
        return counters().drops(reason);
    }

    @Override
    public void close()
    {
        appliance.close();
    }
}
