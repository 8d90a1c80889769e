package io.vtep.core.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.attr.ExtendedCommunity.RouteTarget;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;
import io.vtep.evpn.session.MaximumPrefix;
import io.vtep.evpn.session.PeerConfig;

/**
 * Reads the {@code bgp:} section and the EVPN keys of {@code vnis[]} entries
 * ({@code route-distinguisher}, {@code route-targets}) for {@link ConfigLoader}.
 */
final class BgpSection
{
    static final Set<String> BGP_KEYS = Set.of("asn", "router-id", "listen", "neighbors", "duplicate-detection", "minimum-hold-time");
    static final Set<String> NEIGHBOR_KEYS = Set.of("address", "remote-as", "port", "passive", "hold-time", "update-source", "description",
        "maximum-prefix", "password", "ttl-security");
    static final Set<String> MAXIMUM_PREFIX_KEYS = Set.of("limit", "warning-threshold", "restart", "warning-only");
    static final Set<String> DUPLICATE_KEYS = Set.of("max-moves", "window-seconds", "freeze");
    static final Set<String> ROUTE_TARGET_KEYS = Set.of("import", "export");
    static final long MAX_ASN = 0xFFFF_FFFFL;
    /** The limit travels in 4 octets of the Cease data (RFC 4486 §4). */
    static final long MAX_PREFIX_LIMIT = 0xFFFF_FFFFL;
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})([smh])?");

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
        final Duration freeze = duplicateFreeze(ConfigLoader.node(duplicate, "freeze", duplicatePath));
        final ConfigNode minimumHoldNode = ConfigLoader.node(map, "minimum-hold-time", node.path());
        final int minimumHold = (int)minimumHoldNode.integer(PeerConfig.DEFAULT_MINIMUM_HOLD_SECONDS, 0, 65535);
        if (minimumHold == 1 || minimumHold == 2)
        {
            throw minimumHoldNode.problem("must be 0 or at least 3 seconds, as a hold time (RFC 4271 §4.2)");
        }
        return new BgpConfig(asn, routerId, listenAddress, listenPort, neighbors, overrides, maxMoves, Duration.ofSeconds(window),
            minimumHold, freeze);
    }

    /**
     * {@code duplicate-detection.freeze}: how long a duplicate MAC stays frozen, as FRR's
     * {@code dup-addr-detection freeze (30-3600)|permanent}.
     *
     * @return the time, or null for {@code permanent} (also when the key is absent).
     */
    private static Duration duplicateFreeze(final ConfigNode freezeNode) throws ConfigException
    {
        if (freezeNode.isMissing() || "permanent".equals(freezeNode.value()))
        {
            return null;
        }
        if (freezeNode.value() instanceof String)
        {
            throw freezeNode.problem("expected seconds 30..3600 or permanent, found " + ConfigNode.describe(freezeNode.value()));
        }
        return Duration.ofSeconds(freezeNode.integer(30, 3600));
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
        final MaximumPrefix maximumPrefix = maximumPrefix(ConfigLoader.node(map, "maximum-prefix", item.path()));
        final ConfigNode passwordNode = ConfigLoader.node(map, "password", item.path());
        String password = null;
        if (!passwordNode.isMissing())
        {
            password = passwordNode.text();
            final int octets = password.getBytes(StandardCharsets.UTF_8).length;
            if (octets < 1 || octets > PeerConfig.MAX_PASSWORD_LENGTH)
            {
                // The length only: a password never appears in a message.
                throw passwordNode.problem("a TCP-MD5 password has 1.." + PeerConfig.MAX_PASSWORD_LENGTH + " octets, this one " + octets);
            }
        }
        // GTSM (RFC 5082), FRR's "neighbor X ttl-security hops N": at most N hops away; absent = off.
        final int ttlSecurityHops = (int)ConfigLoader.node(map, "ttl-security", item.path()).integer(0, 1, 254);
        return new BgpNeighborConfig(address, remoteAs, port, passive, hold, source, description, maximumPrefix, password,
            ttlSecurityHops);
    }

    /**
     * FRR's {@code neighbor X maximum-prefix N [THRESHOLD] [restart M] [warning-only]}: either the
     * limit alone ({@code maximum-prefix: 1000}) or {@code { limit, warning-threshold (%),
     * restart (seconds, or "90s", "5m"), warning-only }}. Absent: {@link MaximumPrefix#DEFAULT}.
     */
    private static MaximumPrefix maximumPrefix(final ConfigNode node) throws ConfigException
    {
        if (node.isMissing())
        {
            return MaximumPrefix.DEFAULT;
        }
        if (!(node.value() instanceof Map<?, ?>))
        {
            return new MaximumPrefix(node.integer(1, MAX_PREFIX_LIMIT), MaximumPrefix.DEFAULT_WARNING_PERCENT, MaximumPrefix.DEFAULT_RESTART, false);
        }
        final Map<String, ConfigNode> map = node.mapping(MAXIMUM_PREFIX_KEYS);
        final long limit = ConfigLoader.node(map, "limit", node.path()).integer(1, MAX_PREFIX_LIMIT);
        final int threshold = (int)ConfigLoader.node(map, "warning-threshold", node.path())
            .integer(MaximumPrefix.DEFAULT_WARNING_PERCENT, 1, 100);
        final Duration restart = seconds(ConfigLoader.node(map, "restart", node.path()), MaximumPrefix.DEFAULT_RESTART);
        final boolean warningOnly = ConfigLoader.node(map, "warning-only", node.path()).bool(false);
        return new MaximumPrefix(limit, threshold, restart, warningOnly);
    }

    /** A positive duration: a number of seconds, or a number with {@code s}, {@code m} or {@code h}. */
    private static Duration seconds(final ConfigNode node, final Duration defaultValue) throws ConfigException
    {
        if (node.isMissing())
        {
            return defaultValue;
        }
        if (node.value() instanceof Number)
        {
            return Duration.ofSeconds(node.integer(1, 365L * 24 * 3600));
        }
        final Matcher matcher = DURATION.matcher(node.text().trim());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0)
        {
            throw node.problem("expected a positive duration like 60, 60s, 5m or 1h, found " + ConfigNode.describe(node.value()));
        }
        final long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2) == null ? "s" : matcher.group(2))
        {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
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
