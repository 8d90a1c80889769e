package io.vtep.core.app;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import io.vtep.core.config.AcceptFrom;
import io.vtep.core.config.BgpConfig;
import io.vtep.core.config.BgpNeighborConfig;
import io.vtep.core.config.ConfigChange;
import io.vtep.core.config.LacpConfig;
import io.vtep.core.config.PortConfig;
import io.vtep.core.config.StormControlConfig;
import io.vtep.core.config.VniConfig;
import io.vtep.core.log.LogSettings;
import io.vtep.core.nativeio.ErrnoException;
import io.vtep.core.nativeio.Libc;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.NeighborTable;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.StormControl;
import io.vtep.core.pipeline.VniContext;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.VniFdb;

/**
 * Carries out the {@link ConfigChange}s of a reload against the running appliance: the FDB (whose
 * writes are safe from any thread, under its write lock), the forwarding tables (copy-on-write,
 * see {@link ForwardingTables}) and the BGP speaker. Nothing else is touched, so VNIs, ports and
 * sessions a change does not name keep forwarding as they were.
 */
final class ChangeApplier
{
    private final Fdb fdb;
    private final ForwardingTables tables;
    private final int vniSlots;
    /** Null without a bgp section. */
    private final BgpEvpnWiring bgp;
    /** A neighbor's metric series follow it: bound when it is added, removed when it goes. */
    private final PeerSeries peerSeries;
    /** Opens and closes access ports with their pipelines' sockets and threads; none until set. */
    private Ports ports = Ports.NONE;

    /** Access ports added and removed while the pipelines run ({@link LivePorts}). */
    interface Ports
    {
        Ports NONE = new Ports()
        {
            @Override
            public int capacity()
            {
                return 0;
            }

            @Override
            public void add(final PortConfig port)
            {
                throw new IllegalStateException("access ports cannot be added here");
            }

            @Override
            public void remove(final String name)
            {
                throw new IllegalStateException("access ports cannot be removed here");
            }
        };

        /** Most access ports at once in this run of vtep. */
        int capacity();

        /** Opens the port, maps its VLANs and has every pipeline read it. */
        void add(PortConfig port) throws IOException;

        /** Stops reading the port (its VLANs are unmapped already) and closes it. */
        void remove(String name);
    }

    /** The metric series of BGP neighbors ({@code BgpMeters}), kept by the appliance. */
    interface PeerSeries
    {
        PeerSeries NONE = new PeerSeries()
        {
            @Override
            public void added(final BgpPeer peer)
            {
            }

            @Override
            public void removed(final InetAddress address)
            {
            }
        };

        void added(BgpPeer peer);

        void removed(InetAddress address);
    }

    ChangeApplier(final Fdb fdb, final ForwardingTables tables, final int vniSlots, final BgpEvpnWiring bgp,
        final PeerSeries peerSeries)
    {
        this.fdb = fdb;
        this.tables = tables;
        this.vniSlots = vniSlots;
        this.bgp = bgp;
        this.peerSeries = peerSeries;
    }

    /** @return this, opening and closing access ports through {@code ports} */
    ChangeApplier ports(final Ports ports)
    {
        this.ports = ports;
        return this;
    }

    /**
     * What the running state refuses before anything is applied (the file itself was fine).
     *
     * @return the reasons, empty when every change can be applied
     */
    List<String> preflight(final List<ConfigChange> changes)
    {
        final List<String> refusals = new ArrayList<>();
        int newSlots = 0;
        int portCount = tables.ports().size();
        for (final ConfigChange change : changes)
        {
            if (change instanceof ConfigChange.PortAdded(PortConfig port))
            {
                portCount++;
                if (!port.lacp().equals(LacpConfig.OFF))
                {
                    // The LACP agent learns its ports at start; a live add would forward without it.
                    refusals.add("ports: " + port.name() + " has lacp, which a reload cannot add yet (restart vtep)");
                }
                if (port.hasSegments())
                {
                    // The EVPN control plane takes its segments at start (routes, DF election).
                    refusals.add("ports: " + port.name() + " has an ethernet-segment or vlan-segments, which a reload cannot add yet " +
                        "(restart vtep)");
                }
                try
                {
                    Libc.ifNameToIndex(port.name());
                }
                catch (final ErrnoException ex)
                {
                    refusals.add("ports: no interface named " + port.name() + " on this host");
                }
            }
            else if (change instanceof ConfigChange.PortRemoved)
            {
                portCount--;
            }
            if (change instanceof ConfigChange.VniAdded(VniConfig vni))
            {
                final VniFdb existing = fdb.vni(vni.vni());
                if (existing == null)
                {
                    newSlots++;
                }
                else if (existing.learningMode() != vni.learning())
                {
                    refusals.add("vnis: VNI " + vni.vni() + " ran with learning " + existing.learningMode().label() +
                        " before it was removed; adding it back with learning " + vni.learning().label() + " needs a restart");
                }
            }
        }
        if (tables.bySlot().size() + newSlots > vniSlots)
        {
            refusals.add("vnis: this run of vtep has counters for " + vniSlots + " VNIs (those at start and " +
                VtepAppliance.SPARE_VNI_SLOTS + " more); adding " + newSlots + " new ones needs a restart");
        }
        if (portCount > tables.ports().size() && portCount > ports.capacity())
        {
            refusals.add("ports: this run of vtep has room for " + ports.capacity() + " access ports at once (those at start and " +
                LivePorts.SPARE_PORT_SLOTS + " more); " + portCount + " need a restart");
        }
        return refusals;
    }

    /** Applies one change; throws when it cannot (only a BGP listener option can fail here). */
    void apply(final ConfigChange change, final BgpConfig nextBgp) throws IOException
    {
        switch (change)
        {
            case ConfigChange.VniAdded(VniConfig vni) -> addVni(vni, nextBgp);
            case ConfigChange.VniRemoved(VniConfig vni) -> removeVni(vni.vni());
            case ConfigChange.EvpnVniChanged(int vni, var from, var to) ->
                evpn(() -> bgp.evpn().changeVni(BgpEvpnWiring.vniSettings(nextBgp, vni)));
            case ConfigChange.FloodListChanged(int vni, List<VtepAddress> from, List<VtepAddress> to) ->
            {
                // Added and removed one by one, not replaced: in an EVPN VNI the list also holds the
                // VTEPs of type-3 routes (RFC 7432 §11), which are the control plane's, not the file's.
                for (final VtepAddress address : to)
                {
                    if (!from.contains(address))
                    {
                        fdb.addToFloodList(vni, intern(address));
                    }
                }
                for (final VtepAddress address : from)
                {
                    final RemoteVtep vtep = fdb.remoteVteps().find(address);
                    if (!to.contains(address) && vtep != null)
                    {
                        fdb.removeFromFloodList(vni, vtep);
                    }
                }
            }
            case ConfigChange.MacLimitChanged(int vni, int from, int to) -> fdb.vni(vni).macLimit(to);
            case ConfigChange.AcceptFromChanged(int vni, AcceptFrom from, AcceptFrom to) ->
                tables.vni(vni).membersOnly(to == AcceptFrom.MEMBERS);
            case ConfigChange.VniStormControlChanged(int vni, StormControlConfig from, StormControlConfig to) ->
                tables.vni(vni).stormControl(stormControl(to));
            case ConfigChange.PortAdded(PortConfig port) -> ports.add(port);
            case ConfigChange.PortRemoved(PortConfig port) -> removePort(port);
            case ConfigChange.VlanMapped(String port, int vlan, int vni) -> tables.attach(tables.port(port), vlan, tables.vni(vni));
            case ConfigChange.VlanUnmapped(String port, int vlan, int vni) -> unmap(tables.port(port), vlan, vni);
            case ConfigChange.PortStormControlChanged(String port, StormControlConfig from, StormControlConfig to) ->
                tables.port(port).stormControl(stormControl(to));
            case ConfigChange.StaticAdded(var entry) -> fdb.addStatic(entry.vni(), entry.mac(), intern(entry.remote()));
            case ConfigChange.StaticRemoved(var entry) -> fdb.remove(entry.vni(), entry.mac(), Origin.STATIC);
            case ConfigChange.NeighborAdded(var neighbor) -> addPeer(nextBgp, neighbor);
            case ConfigChange.NeighborRemoved(var neighbor) -> removePeer(neighbor.address().toInetAddress());
            case ConfigChange.NeighborChanged(var from, var to) ->
            {
                removePeer(from.address().toInetAddress());
                addPeer(nextBgp, to);
            }
            case ConfigChange.NeighborDescriptionChanged(var from, var to) ->
            {
                // Nothing to do: bgp summary reads descriptions from the configuration in force.
            }
            case ConfigChange.LogChanged(var from, var to) -> LogSettings.apply(to);
        }
    }

    private void addPeer(final BgpConfig nextBgp, final BgpNeighborConfig neighbor) throws IOException
    {
        bgp.speaker().addPeer(BgpEvpnWiring.peerConfig(nextBgp, neighbor));
        peerSeries.added(bgp.speaker().peer(neighbor.address().toInetAddress()));
    }

    private void removePeer(final InetAddress address)
    {
        bgp.speaker().removePeer(address);
        peerSeries.removed(address);
    }

    private void addVni(final VniConfig vni, final BgpConfig nextBgp)
    {
        VniFdb vniFdb = fdb.vni(vni.vni());
        if (vniFdb == null)
        {
            vniFdb = fdb.addVni(vni.vni(), vni.learning(), vni.macLimit(), vni.multicastGroup());
        }
        else
        {
            // Removed earlier in this run: the FDB kept the (emptied) VNI, so its series go on.
            vniFdb.macLimit(vni.macLimit());
            fdb.setMulticastGroup(vni.vni(), vni.multicastGroup());
        }
        fdb.setFloodList(vni.vni(), vni.flood().stream().map(this::intern).toArray(RemoteVtep[]::new));
        final VniContext context = tables.addVni(vni.vni());
        context.membersOnly(vni.acceptFrom() == AcceptFrom.MEMBERS);
        context.stormControl(stormControl(vni.stormControl()));
        if (vni.arpSuppression() && context.neighbors() == null)
        {
            // As at start: answered from the MAC+IP routes EVPN imports into it (RFC 7432 §10).
            context.neighbors(new NeighborTable(VtepAppliance.NEIGHBOR_TABLE_ENTRIES));
        }
        if (bgp != null)
        {
            // With bgp: every VNI takes part in EVPN (README), one added live as well: its type-3
            // route and its local MACs are advertised, its route targets import.
            evpn(() -> bgp.evpn().addVni(BgpEvpnWiring.vniSettings(nextBgp, vni.vni())));
        }
    }

    /**
     * Out of EVPN first (its routes withdrawn, its EVPN entries and flood members taken back, so
     * that emptying the FDB below is not answered by re-installs), then out of the data path (its
     * frames are then dropped as of an unknown VNI), then emptied.
     */
    private void removeVni(final int vni)
    {
        if (bgp != null)
        {
            evpn(() -> bgp.evpn().removeVni(vni));
        }
        final VniContext context = tables.vni(vni);
        if (context != null)
        {
            for (final Attachment member : context.members())
            {
                tables.detach(portOf(member), member.vlan());
            }
            tables.removeVni(vni);
        }
        fdb.setFloodList(vni, new RemoteVtep[0]);
        final VniFdb vniFdb = fdb.vni(vni);
        if (vniFdb != null)
        {
            removeEntries(vniFdb, -1);
        }
    }

    /** Its VLANs unmapped and the MACs learned on it removed first, so nothing is sent to it while it closes. */
    private void removePort(final PortConfig port)
    {
        final PortContext context = tables.port(port.name());
        port.vlans().forEach((vlan, vni) -> unmap(context, vlan == PortConfig.UNTAGGED ? Attachment.UNTAGGED : vlan, vni));
        ports.remove(port.name());
    }

    private void unmap(final PortContext port, final int vlan, final int vni)
    {
        final Attachment attachment = tables.detach(port, vlan);
        final VniFdb vniFdb = fdb.vni(vni);
        if (attachment != null && vniFdb != null)
        {
            // The MACs learned behind it would otherwise still be sent there, with the old tag.
            removeEntries(vniFdb, attachment.id());
        }
    }

    /** @param attachment remove only local entries on this attachment; -1: every entry */
    private void removeEntries(final VniFdb vniFdb, final int attachment)
    {
        final List<long[]> doomed = new ArrayList<>();
        vniFdb.forEach((vni, mac, entry, age) ->
        {
            if (attachment < 0 || FdbEntry.isLocal(entry) && FdbEntry.attachment(entry) == attachment)
            {
                doomed.add(new long[] {mac, FdbEntry.origin(entry).ordinal()});
            }
        });
        for (final long[] entry : doomed)
        {
            fdb.remove(vniFdb.vni(), entry[0], Origin.values()[(int)entry[1]]);
        }
    }

    /** Runs a change on the EVPN control thread, and says why it failed with the control plane's own words. */
    private static void evpn(final java.util.function.BooleanSupplier change)
    {
        try
        {
            change.getAsBoolean();
        }
        catch (final IllegalStateException ex)
        {
            Throwable cause = ex;
            while (cause.getCause() != null)
            {
                cause = cause.getCause();
            }
            throw new IllegalStateException("EVPN: " + cause.getMessage(), ex);
        }
    }

    private PortContext portOf(final Attachment attachment)
    {
        return tables.ports().stream().filter(port -> port.port() == attachment.port()).findFirst().orElseThrow();
    }

    private RemoteVtep intern(final VtepAddress address)
    {
        final RemoteVtep vtep = fdb.remoteVteps().intern(address);
        if (vtep == null)
        {
            throw new IllegalStateException("the remote VTEP table is full; " + address + " cannot be added");
        }
        return vtep;
    }

    private StormControl stormControl(final StormControlConfig config)
    {
        return VtepAppliance.stormControl(config, fdb);
    }
}
