package io.vtep.core.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.attr.ExtendedCommunity.RouteTarget;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/**
 * Reads the {@code bgp:} section and the EVPN keys of {@code vnis[]} entries
 * ({@code route-distinguisher}, {@code route-targets}) for {@link ConfigLoader}.
 */
final class BgpSection
{
    static final Set<String> BGP_KEYS = Set.of("asn", "router-id", "listen", "neighbors", "duplicate-detection");
    static final Set<String> NEIGHBOR_KEYS = Set.of("address", "remote-as", "port", "passive", "hold-time", "update-source", "description");
    static final Set<String> DUPLICATE_KEYS = Set.of("max-moves", "window-seconds");
    static final Set<String> ROUTE_TARGET_KEYS = Set.of("import", "export");
    static final long MAX_ASN = 0xFFFF_FFFFL;

    private BgpSection()
    {
    }

    /**
     * @param node      the bgp section (present).
     * @param localIp   vtep.local-ip, the router id when none is given and it is IPv4.
     * @param overrides the EVPN keys found under vnis[], by VNI.
     * @return the section.
     */
    static BgpConfig parse(final ConfigNode node, final VtepAddress localIp, final List<EvpnVniConfig> overrides)
        throws ConfigException
    {
        final Map<String, ConfigNode> map = node.mapping(BGP_KEYS);
        final long asn = ConfigLoader.node(map, "asn", node.path()).integer(1, MAX_ASN);
        final Inet4Address routerId = routerId(ConfigLoader.node(map, "router-id", node.path()), localIp);

        final ConfigNode listenNode = ConfigLoader.node(map, "listen", node.path());
        VtepAddress listenAddress = null;
        int listenPort = BgpConfig.DEFAULT_PORT;
        if (!listenNode.isMissing())
        {
            final ApiConfig listen = ConfigLoader.hostAndPort(listenNode);
            final VtepAddress host = VtepAddress.parse(listen.host());
            listenAddress = isAnyAddress(host) ? null : host;
            listenPort = listen.port();
        }

        final List<BgpNeighborConfig> neighbors = new ArrayList<>();
        final Set<VtepAddress> addresses = new HashSet<>();
        final ConfigNode neighborsNode = ConfigLoader.node(map, "neighbors", node.path());
        for (final ConfigNode item : neighborsNode.list())
        {
            final BgpNeighborConfig neighbor = neighbor(item, localIp);
            if (!addresses.add(neighbor.address()))
            {
                throw new ConfigException(item.path() + ".address", "neighbor " + neighbor.address() + " is configured twice");
            }
            neighbors.add(neighbor);
        }
        if (neighbors.isEmpty())
        {
            throw neighborsNode.problem("is required: at least one neighbor, e.g. { address: 192.0.2.2, remote-as: 65000 }");
        }

        final Map<String, ConfigNode> duplicate = ConfigLoader.node(map, "duplicate-detection", node.path()).mapping(DUPLICATE_KEYS);
        final String duplicatePath = node.path() + ".duplicate-detection";
        final int maxMoves = (int)ConfigLoader.node(duplicate, "max-moves", duplicatePath)
            .integer(BgpConfig.DEFAULT_DUPLICATE_MAX_MOVES, 2, 1000);
        final int window = (int)ConfigLoader.node(duplicate, "window-seconds", duplicatePath)
            .integer(BgpConfig.DEFAULT_DUPLICATE_WINDOW_SECONDS, 2, 1800);
        return new BgpConfig(asn, routerId, listenAddress, listenPort, neighbors, overrides, maxMoves, Duration.ofSeconds(window));
    }

    /**
     * The EVPN keys of one {@code vnis[]} entry.
     *
     * @return the override, or null when neither key is given.
     */
    static EvpnVniConfig vniOverride(final int vni, final ConfigNode rdNode, final ConfigNode targetsNode) throws ConfigException
    {
        if (rdNode.isMissing() && targetsNode.isMissing())
        {
            return null;
        }
        RouteDistinguisher rd = null;
        if (!rdNode.isMissing())
        {
            try
            {
                rd = RouteDistinguisher.parse(rdNode.text());
            }
            catch (final RuntimeException ex)
            {
                throw rdNode.problem("expected a route distinguisher like 198.51.100.1:100 or 65001:100, found " +
                    ConfigNode.describe(rdNode.value()));
            }
        }
        List<RouteTarget> imports = List.of();
        List<RouteTarget> exports = List.of();
        if (targetsNode.value() instanceof Map<?, ?>)
        {
            final Map<String, ConfigNode> map = targetsNode.mapping(ROUTE_TARGET_KEYS);
            imports = routeTargets(ConfigLoader.node(map, "import", targetsNode.path()));
            exports = routeTargets(ConfigLoader.node(map, "export", targetsNode.path()));
        }
        else if (!targetsNode.isMissing())
        {
            // A plain list is FRR's "route-target both".
            imports = routeTargets(targetsNode);
            exports = imports;
        }
        return new EvpnVniConfig(vni, rd, imports, exports);
    }

    private static List<RouteTarget> routeTargets(final ConfigNode node) throws ConfigException
    {
        final List<ConfigNode> items = node.value() instanceof List<?> ? node.list() : node.isMissing() ? List.of() : List.of(node);
        final List<RouteTarget> targets = new ArrayList<>();
        for (final ConfigNode item : items)
        {
            try
            {
                final RouteTarget target = RouteTarget.parse(item.requiredText());
                if (targets.contains(target))
                {
                    throw item.problem(target + " is listed twice");
                }
                targets.add(target);
            }
            catch (final IllegalArgumentException ex)
            {
                throw item.problem("expected a route target like 65001:100 or 198.51.100.1:100, found " +
                    ConfigNode.describe(item.value()));
            }
        }
        return targets;
    }

    private static Inet4Address routerId(final ConfigNode node, final VtepAddress localIp) throws ConfigException
    {
        if (node.isMissing())
        {
            if (localIp.isIpv6())
            {
                throw node.problem("is required when vtep.local-ip is IPv6: the BGP identifier is an IPv4 address (RFC 4271 §4.2)");
            }
            return ipv4(localIp);
        }
        final VtepAddress id = ConfigLoader.address(node);
        if (id.isIpv6() || isAnyAddress(id))
        {
            throw node.problem(id + " is not a usable BGP identifier: a non-zero IPv4 address is needed (RFC 6286 §2.1)");
        }
        return ipv4(id);
    }

    private static BgpNeighborConfig neighbor(final ConfigNode item, final VtepAddress localIp) throws ConfigException
    {
        final Map<String, ConfigNode> map = item.mapping(NEIGHBOR_KEYS);
        final ConfigNode addressNode = ConfigLoader.node(map, "address", item.path());
        final VtepAddress address = ConfigLoader.address(addressNode);
        if (address.isMulticast() || isAnyAddress(address) || address.equals(localIp))
        {
            throw addressNode.problem(address + " cannot be a BGP neighbor (multicast, unspecified or this VTEP's own address)");
        }
        final long remoteAs = ConfigLoader.node(map, "remote-as", item.path()).integer(1, MAX_ASN);
        final int port = (int)ConfigLoader.node(map, "port", item.path()).integer(BgpConfig.DEFAULT_PORT, 1, 65535);
        final boolean passive = ConfigLoader.node(map, "passive", item.path()).bool(false);
        final ConfigNode holdNode = ConfigLoader.node(map, "hold-time", item.path());
        final int hold = (int)holdNode.integer(BgpNeighborConfig.DEFAULT_HOLD_TIME, 0, 65535);
        if (hold == 1 || hold == 2)
        {
            throw holdNode.problem("hold time must be 0 or at least 3 seconds (RFC 4271 §4.2)");
        }
        final ConfigNode sourceNode = ConfigLoader.node(map, "update-source", item.path());
        VtepAddress source = null;
        if (!sourceNode.isMissing())
        {
            source = ConfigLoader.address(sourceNode);
            if (source.isIpv6() != address.isIpv6() || source.isMulticast())
            {
                throw sourceNode.problem(source + " cannot be the source of a session to " + address +
                    " (the address family must match and it must be unicast)");
            }
        }
        final ConfigNode descriptionNode = ConfigLoader.node(map, "description", item.path());
        final String description = descriptionNode.isMissing() ? "" : descriptionNode.text();
        return new BgpNeighborConfig(address, remoteAs, port, passive, hold, source, description);
    }

    private static boolean isAnyAddress(final VtepAddress address)
    {
        return toInet(address).isAnyLocalAddress();
    }

    private static Inet4Address ipv4(final VtepAddress address)
    {
        return (Inet4Address)toInet(address);
    }

    private static InetAddress toInet(final VtepAddress address)
    {
        return address.toInetAddress();
    }
}
