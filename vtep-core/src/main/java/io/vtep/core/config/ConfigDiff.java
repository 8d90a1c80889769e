package io.vtep.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.vtep.encap.VtepAddress;

/**
 * What a reload would change: the differences between the running configuration and a newly
 * read one, as {@link ConfigChange}s in the order they are safe to apply, and the differences
 * that need a restart ({@link #refusals()}, each naming its key). Pure: no I/O, no running state
 * beyond what the caller passes in, so every rule is unit-tested on two configurations.
 *
 * <p>Order: removals that point into a VNI (static entries, VLAN mappings, BGP neighbors) before
 * the VNI goes, VNIs added before anything points into them, unchanged VNIs and ports not
 * mentioned at all (they keep forwarding untouched).
 */
public final class ConfigDiff
{
    private static final String RESTART = "cannot be changed while vtep runs; restart vtep to change it";

    private final List<ConfigChange> changes;
    private final List<String> refusals;

    private ConfigDiff(final List<ConfigChange> changes, final List<String> refusals)
    {
        this.changes = List.copyOf(changes);
        this.refusals = List.copyOf(refusals);
    }

    /**
     * @param running the configuration in force
     * @param next    the configuration just read and validated
     * @return the differences
     */
    public static ConfigDiff between(final VtepConfig running, final VtepConfig next)
    {
        final ConfigDiff.Builder diff = new ConfigDiff.Builder();
        diff.fixedSections(running, next);
        if (!running.log().equals(next.log()))
        {
            diff.changes.add(new ConfigChange.LogChanged(running.log(), next.log()));
        }
        diff.staticRemovals(running, next);
        diff.ports(running, next, true);
        diff.neighbors(running, next, true);
        diff.vnis(running, next);
        diff.ports(running, next, false);
        diff.staticAdditions(running, next);
        diff.neighbors(running, next, false);
        return new ConfigDiff(diff.changes, diff.refusals);
    }

    /** The changes to apply, in order; empty when the files say the same. */
    public List<ConfigChange> changes()
    {
        return changes;
    }

    /** Differences that need a restart, each {@code key.path: why}; a reload with any applies nothing. */
    public List<String> refusals()
    {
        return refusals;
    }

    public boolean isRefused()
    {
        return !refusals.isEmpty();
    }

    private static final class Builder
    {
        final List<ConfigChange> changes = new ArrayList<>();
        final List<String> refusals = new ArrayList<>();

        void refuse(final String path, final String why)
        {
            refusals.add(path + ": " + why);
        }

        /** The underlay, the API listener, the pipelines and the FDB's sizing are set up once at start. */
        void fixedSections(final VtepConfig running, final VtepConfig next)
        {
            final UnderlayConfig a = running.vtep();
            final UnderlayConfig b = next.vtep();
            fixed("vtep.local-ip", a.localIp(), b.localIp());
            fixed("vtep.udp-port", a.udpPort(), b.udpPort());
            fixed("vtep.underlay-mtu", a.underlayMtu(), b.underlayMtu());
            fixed("vtep.source-ports", a.sourcePorts(), b.sourcePorts());
            fixed("vtep.ttl", a.ttl(), b.ttl());
            fixed("api", running.api(), next.api());
            fixed("dataplane", running.dataplane(), next.dataplane());
            fixed("fdb.ageing-seconds", running.fdb().ageingSeconds(), next.fdb().ageingSeconds());
            fixed("fdb.max-entries", running.fdb().maxEntries(), next.fdb().maxEntries());
            fixed("fdb.local-move-hold-seconds", running.fdb().localMoveHoldSeconds(), next.fdb().localMoveHoldSeconds());
            final BgpConfig bgpA = running.bgp();
            final BgpConfig bgpB = next.bgp();
            if ((bgpA == null) != (bgpB == null))
            {
                refuse("bgp", (bgpA == null ? "adding" : "removing") + " the bgp section needs a restart of vtep");
                return;
            }
            if (bgpA != null)
            {
                fixed("bgp.asn", bgpA.asn(), bgpB.asn());
                fixed("bgp.router-id", bgpA.routerId(), bgpB.routerId());
                fixed("bgp.listen", Objects.toString(bgpA.listenAddress()) + ":" + bgpA.listenPort(),
                    Objects.toString(bgpB.listenAddress()) + ":" + bgpB.listenPort());
                fixed("bgp.duplicate-detection", bgpA.duplicateMaxMoves() + "/" + bgpA.duplicateWindow() + "/" + bgpA.duplicateFreeze(),
                    bgpB.duplicateMaxMoves() + "/" + bgpB.duplicateWindow() + "/" + bgpB.duplicateFreeze());
                fixed("bgp.minimum-hold-time", bgpA.minimumHoldSeconds(), bgpB.minimumHoldSeconds());
            }
        }

        private void fixed(final String path, final Object running, final Object next)
        {
            if (!Objects.equals(running, next))
            {
                refuse(path, RESTART + " (running: " + running + ", file: " + next + ")");
            }
        }

        void vnis(final VtepConfig running, final VtepConfig next)
        {
            for (final VniConfig old : running.vnis())
            {
                if (next.vni(old.vni()) == null)
                {
                    changes.add(new ConfigChange.VniRemoved(old));
                }
            }
            final Set<VtepAddress> groups = running.vnis().stream().map(VniConfig::multicastGroup)
                .filter(Objects::nonNull).collect(Collectors.toSet());
            for (int i = 0; i < next.vnis().size(); i++)
            {
                final VniConfig vni = next.vnis().get(i);
                final VniConfig old = running.vni(vni.vni());
                final String path = "vnis[" + i + "]";
                if (old == null)
                {
                    if (vni.multicastGroup() != null && !groups.contains(vni.multicastGroup()))
                    {
                        refuse(path + ".multicast-group",
                            "the underlay joins its multicast groups at start; a VNI added live may use only a group already in use (" + groups +
                                ")");
                    }
                    changes.add(new ConfigChange.VniAdded(vni));
                    continue;
                }
                if (old.learning() != vni.learning())
                {
                    refuse(path + ".learning", RESTART + " (running: " + old.learning().label() + ")");
                }
                if (!Objects.equals(old.multicastGroup(), vni.multicastGroup()))
                {
                    refuse(path + ".multicast-group", RESTART + " (running: " + old.multicastGroup() + ")");
                }
                if (!old.flood().equals(vni.flood()))
                {
                    changes.add(new ConfigChange.FloodListChanged(vni.vni(), old.flood(), vni.flood()));
                }
                if (old.macLimit() != vni.macLimit())
                {
                    changes.add(new ConfigChange.MacLimitChanged(vni.vni(), old.macLimit(), vni.macLimit()));
                }
                if (old.acceptFrom() != vni.acceptFrom())
                {
                    changes.add(new ConfigChange.AcceptFromChanged(vni.vni(), old.acceptFrom(), vni.acceptFrom()));
                }
                if (!old.stormControl().equals(vni.stormControl()))
                {
                    changes.add(new ConfigChange.VniStormControlChanged(vni.vni(), old.stormControl(), vni.stormControl()));
                }
                if (running.bgp() != null && next.bgp() != null && !Objects.equals(running.bgp().vni(vni.vni()), next.bgp().vni(vni.vni())))
                {
                    changes.add(new ConfigChange.EvpnVniChanged(vni.vni(), running.bgp().vni(vni.vni()), next.bgp().vni(vni.vni())));
                }
            }
        }

        /**
         * Ports added, removed, or given another driver (removed and added again); VLAN maps and
         * storm control of the ports that stay.
         *
         * @param removals true: ports and VLANs removed (before VNIs go); false: the rest (after VNIs come)
         */
        void ports(final VtepConfig running, final VtepConfig next, final boolean removals)
        {
            final Map<String, PortConfig> old = new LinkedHashMap<>();
            running.ports().forEach(port -> old.put(port.name(), port));
            final Map<String, PortConfig> now = new LinkedHashMap<>();
            next.ports().forEach(port -> now.put(port.name(), port));
            if (removals)
            {
                old.values().stream().filter(port -> !now.containsKey(port.name()) || now.get(port.name()).driver() != port.driver())
                    .forEach(port -> changes.add(new ConfigChange.PortRemoved(port)));
            }
            for (int i = 0; i < next.ports().size(); i++)
            {
                final PortConfig port = next.ports().get(i);
                final PortConfig was = old.get(port.name());
                if (was == null || was.driver() != port.driver())
                {
                    if (!removals)
                    {
                        changes.add(new ConfigChange.PortAdded(port));
                    }
                    continue;
                }
                if (removals)
                {
                    final String path = "ports[" + i + "]";
                    fixed(path + ".lacp", was.lacp(), port.lacp());
                    if (!java.util.Objects.equals(was.ethernetSegment(), port.ethernetSegment()))
                    {
                        refuse(path + ".ethernet-segment", RESTART); // the EVPN control plane takes its segments at start
                    }
                    if (!was.vlanSegments().equals(port.vlanSegments()))
                    {
                        refuse(path + ".vlan-segments", RESTART);
                    }
                    was.vlans().forEach((vlan, vni) ->
                    {
                        if (!vni.equals(port.vlans().get(vlan)))
                        {
                            changes.add(new ConfigChange.VlanUnmapped(port.name(), vlan, vni));
                        }
                    });
                    continue;
                }
                port.vlans().forEach((vlan, vni) ->
                {
                    if (!vni.equals(was.vlans().get(vlan)))
                    {
                        changes.add(new ConfigChange.VlanMapped(port.name(), vlan, vni));
                    }
                });
                if (!was.stormControl().equals(port.stormControl()))
                {
                    changes.add(new ConfigChange.PortStormControlChanged(port.name(), was.stormControl(), port.stormControl()));
                }
            }
        }

        void staticRemovals(final VtepConfig running, final VtepConfig next)
        {
            final Map<String, FdbConfig.StaticEntry> wanted = statics(next);
            statics(running).forEach((key, entry) ->
            {
                if (!wanted.containsKey(key))
                {
                    changes.add(new ConfigChange.StaticRemoved(entry));
                }
            });
        }

        void staticAdditions(final VtepConfig running, final VtepConfig next)
        {
            final Map<String, FdbConfig.StaticEntry> had = statics(running);
            statics(next).forEach((key, entry) ->
            {
                if (!entry.equals(had.get(key)))
                {
                    changes.add(new ConfigChange.StaticAdded(entry));
                }
            });
        }

        /** Equal but for the description, which no session setting depends on. */
        private static boolean sameSession(final BgpNeighborConfig a, final BgpNeighborConfig b)
        {
            return a.equals(new BgpNeighborConfig(b.address(), b.remoteAs(), b.port(), b.passive(), b.holdTimeSeconds(),
                b.updateSource(), a.description(), b.maximumPrefix(), b.password(), b.ttlSecurityHops()));
        }

        private static Map<String, FdbConfig.StaticEntry> statics(final VtepConfig config)
        {
            final Map<String, FdbConfig.StaticEntry> byKey = new LinkedHashMap<>();
            config.fdb().staticEntries().forEach(entry -> byKey.put(entry.vni() + "/" + entry.mac(), entry));
            return byKey;
        }

        /**
         * @param removals true: neighbors removed (before VNIs go); false: changed and added
         */
        void neighbors(final VtepConfig running, final VtepConfig next, final boolean removals)
        {
            if (running.bgp() == null || next.bgp() == null)
            {
                return;
            }
            final Map<VtepAddress, BgpNeighborConfig> old = new LinkedHashMap<>();
            running.bgp().neighbors().forEach(neighbor -> old.put(neighbor.address(), neighbor));
            final Map<VtepAddress, BgpNeighborConfig> now = new LinkedHashMap<>();
            next.bgp().neighbors().forEach(neighbor -> now.put(neighbor.address(), neighbor));
            if (removals)
            {
                old.forEach((address, neighbor) ->
                {
                    if (!now.containsKey(address))
                    {
                        changes.add(new ConfigChange.NeighborRemoved(neighbor));
                    }
                });
                return;
            }
            now.forEach((address, neighbor) ->
            {
                final BgpNeighborConfig was = old.get(address);
                if (was == null)
                {
                    changes.add(new ConfigChange.NeighborAdded(neighbor));
                }
                else if (sameSession(was, neighbor) && !Objects.equals(was.description(), neighbor.description()))
                {
                    changes.add(new ConfigChange.NeighborDescriptionChanged(was, neighbor));
                }
                else if (!was.equals(neighbor))
                {
                    changes.add(new ConfigChange.NeighborChanged(was, neighbor));
                }
            });
        }
    }
}
