package io.vtep.core.config;

import java.util.List;
import java.util.Objects;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/**
 * One difference between the running configuration and a reloaded file that vtep applies without
 * a restart (see {@link ConfigDiff}). {@link #describe()} is the log line of the change.
 */
public sealed interface ConfigChange
{
    /** One line for the log and the reload answer, e.g. {@code vni 200 added}. */
    String describe();

    /** A new VNI: its FDB, flood list, counters; ports reach it through {@link VlanMapped}. */
    record VniAdded(VniConfig vni) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "vni " + vni.vni() + " added (learning " + vni.learning().label() + ", flood " + vni.flood() + ")";
        }
    }

    /** A VNI gone from the file: no longer accepted from either side; its entries are removed. */
    record VniRemoved(VniConfig vni) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "vni " + vni.vni() + " removed";
        }
    }

    record FloodListChanged(int vni, List<VtepAddress> from, List<VtepAddress> to) implements ConfigChange
    {
        public FloodListChanged
        {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }

        @Override
        public String describe()
        {
            return "vni " + vni + " flood list " + from + " -> " + to;
        }
    }

    record MacLimitChanged(int vni, int from, int to) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "vni " + vni + " mac-limit " + from + " -> " + to;
        }
    }

    record AcceptFromChanged(int vni, AcceptFrom from, AcceptFrom to) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "vni " + vni + " accept-from " + from.label() + " -> " + to.label();
        }
    }

    record VniStormControlChanged(int vni, StormControlConfig from, StormControlConfig to) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "vni " + vni + " storm-control " + ConfigChange.describe(from) + " -> " + ConfigChange.describe(to);
        }
    }

    /**
     * With {@code bgp:}, a VNI's route distinguisher or route targets changed (null: the automatic
     * ones): imports are decided again and its routes advertised with the new ones.
     */
    record EvpnVniChanged(int vni, EvpnVniConfig from, EvpnVniConfig to) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "vni " + vni + " evpn " + ConfigChange.describe(from) + " -> " + ConfigChange.describe(to);
        }
    }

    /**
     * A new access port (or one whose driver changed, after its {@link PortRemoved}): opened, read by
     * every pipeline, its VLANs mapped; applied once the VNIs it leads into exist.
     */
    record PortAdded(PortConfig port) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "port " + port.name() + " added (driver " + port.driver().configName() + ", " + port.vlans().size() + " vlan mapping(s))";
        }
    }

    /**
     * An access port gone from the file (or re-driven): no longer read, its VLANs unmapped and the
     * MACs learned on it removed, its sockets closed; applied before the VNIs it led into go.
     */
    record PortRemoved(PortConfig port) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "port " + port.name() + " removed";
        }
    }

    /** A VLAN (or {@link PortConfig#UNTAGGED}) of an existing port now leads into a VNI. */
    record VlanMapped(String port, int vlan, int vni) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "port " + port + " " + ConfigChange.vlan(vlan) + " mapped to vni " + vni;
        }
    }

    /** A VLAN of an existing port no longer leads into its VNI; the MACs learned there are removed. */
    record VlanUnmapped(String port, int vlan, int vni) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "port " + port + " " + ConfigChange.vlan(vlan) + " unmapped from vni " + vni;
        }
    }

    record PortStormControlChanged(String port, StormControlConfig from, StormControlConfig to) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "port " + port + " storm-control " + ConfigChange.describe(from) + " -> " + ConfigChange.describe(to);
        }
    }

    /** A static entry added, or one whose remote VTEP changed (it replaces the old one). */
    record StaticAdded(FdbConfig.StaticEntry entry) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "static " + MacAddress.format(entry.mac()) + " vni " + entry.vni() + " dst " + entry.remote() + " added";
        }
    }

    record StaticRemoved(FdbConfig.StaticEntry entry) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "static " + MacAddress.format(entry.mac()) + " vni " + entry.vni() + " removed";
        }
    }

    record NeighborAdded(BgpNeighborConfig neighbor) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "bgp neighbor " + neighbor.address() + " (AS " + neighbor.remoteAs() + ") added";
        }
    }

    /** Its session is closed with Cease/Peer De-configured (RFC 4486 §3) and its routes withdrawn. */
    record NeighborRemoved(BgpNeighborConfig neighbor) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "bgp neighbor " + neighbor.address() + " removed";
        }
    }

    /** Settings of a neighbor changed: its session (only its) is reset with the new settings. */
    record NeighborChanged(BgpNeighborConfig from, BgpNeighborConfig to) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "bgp neighbor " + to.address() + " changed; its session restarts";
        }
    }

    /** Only the description: shown by {@code bgp summary}; the session is not touched. */
    record NeighborDescriptionChanged(BgpNeighborConfig from, BgpNeighborConfig to) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "bgp neighbor " + to.address() + " description \"" + Objects.toString(to.description(), "") + "\"";
        }
    }

    record LogChanged(LogConfig from, LogConfig to) implements ConfigChange
    {
        @Override
        public String describe()
        {
            return "log level " + to.level().label() + " format " + to.format().label();
        }
    }

    private static String vlan(final int vlan)
    {
        return vlan == PortConfig.UNTAGGED ? "untagged" : "vlan " + vlan;
    }

    private static String describe(final EvpnVniConfig evpn)
    {
        return evpn == null ? "{automatic rd and route-targets}" : "{rd " + Objects.toString(evpn.routeDistinguisher(), "automatic") +
            ", import " + evpn.importTargets() + ", export " + evpn.exportTargets() + "}";
    }

    private static String describe(final StormControlConfig storm)
    {
        return storm.isOff() ? "off" : "{broadcast " + storm.broadcast() + ", multicast " + storm.multicast() +
            ", unknown-unicast " + storm.unknownUnicast() + ", burst " + storm.burst() + "}";
    }
}
