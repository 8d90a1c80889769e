package io.vtep.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.encap.MacAddress;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;

/**
 * Reads and validates the YAML configuration (docs/architecture.md §5) into a {@link VtepConfig}.
 *
 * <p>Everything that can be checked without touching the system is checked here, and the first
 * problem is reported with its key path. Whether the named interfaces exist is checked by the
 * appliance before it opens anything, in its own network namespace.
 */
public final class ConfigLoader
{
    public static final int MAX_VNI = 0xFF_FFFF;
    static final int DEFAULT_UDP_PORT = 4789;
    static final int DEFAULT_MTU = 1500;
    static final int DEFAULT_AGEING_SECONDS = 300;
    static final int DEFAULT_TTL = 64;

    private static final Set<String> TOP_KEYS = Set.of("vtep", "ports", "vnis", "fdb", "bgp", "api", "dataplane", "log");
    private static final Set<String> VTEP_KEYS = Set.of("local-ip", "udp-port", "underlay-mtu", "source-ports", "ttl");
    private static final Set<String> PORT_KEYS = Set.of("name", "driver", "vlans", "storm-control", "lacp", "ethernet-segment",
        "vlan-segments");
    private static final Set<String> VNI_KEYS = Set.of("vni", "flood", "multicast-group", "learning", "mac-limit",
        "route-distinguisher", "route-targets", "accept-from", "storm-control", "arp-suppression");
    private static final Set<String> STORM_CONTROL_KEYS = Set.of("broadcast", "multicast", "unknown-unicast", "burst");
    private static final Set<String> FDB_KEYS = Set.of("ageing-seconds", "static", "max-entries",
        "local-move-hold-seconds");
    private static final Set<String> STATIC_KEYS = Set.of("vni", "mac", "remote");
    private static final Set<String> API_KEYS = Set.of("listen");
    private static final Set<String> LOG_KEYS = Set.of("level", "format");
    private static final Set<String> DATAPLANE_KEYS = Set.of("pipelines", "busy-poll", "spin-microseconds", "underlay-gso", "pin-cpus",
        "access-steering", "access-ring", "coalesce-tcp");

    private ConfigLoader()
    {
    }

    public static VtepConfig load(final Path file) throws ConfigException
    {
        final String text;
        try
        {
            // Checked before reading: a multi-GB file (or /dev/zero) must not take the heap first.
            final long size = Files.size(file);
            if (size > YamlDocument.MAX_CODE_POINTS)
            {
                throw YamlDocument.tooLarge(size);
            }
            text = Files.readString(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        }
        catch (final CharacterCodingException ex)
        {
            throw new ConfigException("", "configuration file " + file + " is not UTF-8 text: " + ex);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("", "cannot read configuration file " + file + ": " + ex.getMessage());
        }
        return parse(text);
    }

    public static VtepConfig parse(final String yamlText) throws ConfigException
    {
        final ConfigNode root = new ConfigNode("", readYaml(yamlText));
        if (root.isMissing())
        {
            throw new ConfigException("", "the configuration is empty; at least vtep.local-ip and one port are needed");
        }
        final Map<String, ConfigNode> top = root.mapping(TOP_KEYS);

        final UnderlayConfig underlay = underlay(node(top, "vtep", ""));
        final Map<Integer, VniConfig> vnis = new LinkedHashMap<>();
        final List<EvpnVniConfig> evpnOverrides = new ArrayList<>();
        ConfigNode firstOverride = null;
        for (final ConfigNode vniNode : node(top, "vnis", "").list())
        {
            final VniConfig vni = vni(vniNode, underlay.localIp());
            if (vnis.put(vni.vni(), vni) != null)
            {
                throw new ConfigException(vniNode.path() + ".vni", "VNI " + vni.vni() + " is configured twice");
            }
            final Map<String, ConfigNode> map = vniNode.mapping(VNI_KEYS);
            final EvpnVniConfig override = BgpSection.vniOverride(vni.vni(),
                node(map, "route-distinguisher", vniNode.path()), node(map, "route-targets", vniNode.path()));
            if (override != null)
            {
                evpnOverrides.add(override);
                firstOverride = firstOverride != null ? firstOverride : vniNode;
            }
        }
        final List<PortConfig> ports = ports(node(top, "ports", ""), vnis, !node(top, "bgp", "").isMissing());
        final FdbConfig fdb = fdb(node(top, "fdb", ""), vnis, underlay.localIp());
        final ConfigNode bgpNode = node(top, "bgp", "");
        BgpConfig bgp = null;
        if (!bgpNode.isMissing())
        {
            bgp = BgpSection.parse(bgpNode, underlay.localIp(), evpnOverrides);
        }
        else if (firstOverride != null)
        {
            throw firstOverride.problem("route-distinguisher and route-targets apply to BGP EVPN only; add a bgp section or remove them");
        }
        final ApiConfig api = api(node(top, "api", ""));
        final DataplaneConfig dataplane = dataplane(node(top, "dataplane", ""));
        final LogConfig log = log(node(top, "log", ""));
        return new VtepConfig(underlay, ports, new ArrayList<>(vnis.values()), fdb, api, bgp, dataplane, log);
    }

    /** {@code log: { level, format }}; absent: {@link LogConfig#DEFAULT}. */
    private static LogConfig log(final ConfigNode node) throws ConfigException
    {
        final Map<String, ConfigNode> map = node.mapping(LOG_KEYS);
        final ConfigNode level = node(map, "level", node.path());
        final ConfigNode format = node(map, "format", node.path());
        return new LogConfig(
            level.isMissing() ? LogConfig.DEFAULT.level() : choice(level, LogConfig.Level.class),
            format.isMissing() ? LogConfig.DEFAULT.format() : choice(format, LogConfig.Format.class));
    }

    private static <E extends Enum<E>> E choice(final ConfigNode node, final Class<E> type) throws ConfigException
    {
        final String text = node.text();
        for (final E value : type.getEnumConstants())
        {
            if (value.name().equalsIgnoreCase(text))
            {
                return value;
            }
        }
        final List<String> names = java.util.Arrays.stream(type.getEnumConstants())
            .map(value -> value.name().toLowerCase(java.util.Locale.ROOT)).toList();
        throw node.problem("expected one of " + String.join(", ", names) + ", found " + ConfigNode.describe(node.value()));
    }

    private static DataplaneConfig dataplane(final ConfigNode node) throws ConfigException
    {
        final Map<String, ConfigNode> map = node.mapping(DATAPLANE_KEYS);
        final DataplaneConfig defaults = DataplaneConfig.defaults();
        final ConfigNode steering = node(map, "access-steering", node.path());
        return new DataplaneConfig(
            (int)node(map, "pipelines", node.path()).integer(defaults.pipelines(), 1, DataplaneConfig.MAX_PIPELINES),
            node(map, "busy-poll", node.path()).bool(false),
            (int)node(map, "spin-microseconds", node.path()).integer(DataplaneConfig.DEFAULT_SPIN_MICROS, 0, 1_000_000),
            node(map, "underlay-gso", node.path()).bool(true),
            node(map, "pin-cpus", node.path()).bool(defaults.pinCpus()),
            steering.isMissing() ? defaults.accessSteering() : choice(steering, DataplaneConfig.AccessSteering.class),
            node(map, "access-ring", node.path()).bool(defaults.accessRing()),
            node(map, "coalesce-tcp", node.path()).bool(defaults.coalesceTcp()));
    }

    private static Object readYaml(final String yamlText) throws ConfigException
    {
        return YamlDocument.read(yamlText);
    }

    static ConfigNode node(final Map<String, ConfigNode> map, final String key, final String parent)
    {
        final ConfigNode node = map.get(key);
        return node != null ? node : new ConfigNode(parent.isEmpty() ? key : parent + "." + key, null);
    }

    private static UnderlayConfig underlay(final ConfigNode node) throws ConfigException
    {
        if (node.isMissing())
        {
            throw node.problem("is required (at least local-ip)");
        }
        final Map<String, ConfigNode> map = node.mapping(VTEP_KEYS);
        final ConfigNode localIpNode = node(map, "local-ip", node.path());
        final VtepAddress localIp = address(localIpNode);
        if (localIp.isMulticast())
        {
            throw localIpNode.problem("must be a unicast address, not " + localIp);
        }
        final int udpPort = (int)node(map, "udp-port", node.path()).integer(DEFAULT_UDP_PORT, 1, 65535);
        final int minMtu = localIp.isIpv6() ? 1280 : 576; // the smallest MTU each IP version guarantees
        final int mtu = (int)node(map, "underlay-mtu", node.path()).integer(DEFAULT_MTU, minMtu, 65535);
        final ConfigNode portsNode = node(map, "source-ports", node.path());
        SourcePortRange sourcePorts = SourcePortRange.DEFAULT;
        if (!portsNode.isMissing())
        {
            try
            {
                sourcePorts = SourcePortRange.parse(portsNode.text());
            }
            catch (final IllegalArgumentException ex)
            {
                throw portsNode.problem("expected a port range like 49152-65535: " + ex.getMessage());
            }
        }
        final int ttl = (int)node(map, "ttl", node.path()).integer(DEFAULT_TTL, 1, 255);
        return new UnderlayConfig(localIp, udpPort, mtu, sourcePorts, ttl);
    }

    private static VniConfig vni(final ConfigNode node, final VtepAddress localIp) throws ConfigException
    {
        final Map<String, ConfigNode> map = node.mapping(VNI_KEYS);
        final int vni = vniNumber(node(map, "vni", node.path()));
        final List<VtepAddress> flood = new ArrayList<>();
        for (final ConfigNode remoteNode : node(map, "flood", node.path()).list())
        {
            final VtepAddress remote = sameFamily(remoteNode, address(remoteNode), localIp);
            if (remote.isMulticast() || remote.equals(localIp))
            {
                throw remoteNode.problem(remote + " cannot be a flood list entry (multicast or this VTEP's own address)");
            }
            if (flood.contains(remote))
            {
                throw remoteNode.problem(remote + " is in the flood list twice");
            }
            flood.add(remote);
        }
        final ConfigNode groupNode = node(map, "multicast-group", node.path());
        VtepAddress group = null;
        if (!groupNode.isMissing())
        {
            group = sameFamily(groupNode, address(groupNode), localIp);
            if (!group.isMulticast())
            {
                throw groupNode.problem(group + " is not a multicast address");
            }
            if (!flood.isEmpty())
            {
                throw groupNode.problem("a VNI floods either to a flood list or to a multicast group, not both");
            }
        }
        final ConfigNode learningNode = node(map, "learning", node.path());
        LearningMode learning = LearningMode.DATA_PLANE;
        if (!learningNode.isMissing())
        {
            try
            {
                learning = LearningMode.parse(learningNode.text());
            }
            catch (final IllegalArgumentException ex)
            {
                throw learningNode.problem("expected data-plane, evpn or none, found " + ConfigNode.describe(learningNode.value()));
            }
        }
        // Absent: FdbSettings.DEFAULT_MAC_LIMIT, so one flooding host fills its VNI, not the gateway
        // (issue 15). An explicit 0 keeps meaning "no per-VNI limit" (fdb.max-entries still applies).
        final int macLimit = (int)node(map, "mac-limit", node.path()).integer(FdbSettings.DEFAULT_MAC_LIMIT, 0,
            Integer.MAX_VALUE);
        final ConfigNode acceptNode = node(map, "accept-from", node.path());
        AcceptFrom acceptFrom = AcceptFrom.defaultFor(learning, !flood.isEmpty());
        if (!acceptNode.isMissing())
        {
            acceptFrom = AcceptFrom.parse(acceptNode.text());
            if (acceptFrom == null)
            {
                throw acceptNode.problem("expected members or any, found " + ConfigNode.describe(acceptNode.value()));
            }
        }
        final ConfigNode suppressionNode = node(map, "arp-suppression", node.path());
        final boolean arpSuppression = suppressionNode.bool(VniConfig.defaultArpSuppression(learning));
        if (arpSuppression && learning != LearningMode.EVPN)
        {
            // RFC 7432 §10: the answers come from MAC+IP routes and the snooping that feeds them, both EVPN only.
            throw suppressionNode.problem("ARP/ND suppression needs learning: evpn (this VNI learns " +
                learning.label() + ")");
        }
        return new VniConfig(vni, flood, group, learning, macLimit, acceptFrom,
            stormControl(node(map, "storm-control", node.path())), arpSuppression);
    }

    /** {@code storm-control: { broadcast: N, multicast: N, unknown-unicast: N, burst: N }}, packets per second. */
    private static StormControlConfig stormControl(final ConfigNode node) throws ConfigException
    {
        if (node.isMissing())
        {
            return StormControlConfig.OFF;
        }
        final Map<String, ConfigNode> map = node.mapping(STORM_CONTROL_KEYS);
        final StormControlConfig config = new StormControlConfig(
            node(map, "broadcast", node.path()).integer(0, 0, 1_000_000_000L),
            node(map, "multicast", node.path()).integer(0, 0, 1_000_000_000L),
            node(map, "unknown-unicast", node.path()).integer(0, 0, 1_000_000_000L),
            node(map, "burst", node.path()).integer(0, 1, 1_000_000_000L));
        if (config.isOff())
        {
            throw node.problem("set a rate (packets per second) for at least one of broadcast, multicast, unknown-unicast");
        }
        return config;
    }

    private static List<PortConfig> ports(final ConfigNode node, final Map<Integer, VniConfig> vnis, final boolean bgp)
        throws ConfigException
    {
        final List<ConfigNode> items = node.list();
        if (items.isEmpty())
        {
            throw node.problem("at least one access port is required");
        }
        final List<PortConfig> ports = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        final Map<EthernetSegmentId, String> segments = new HashMap<>();
        for (final ConfigNode item : items)
        {
            final Map<String, ConfigNode> map = item.mapping(PORT_KEYS);
            final ConfigNode nameNode = node(map, "name", item.path());
            final String name = nameNode.requiredText();
            if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.contains(" "))
            {
                throw nameNode.problem("\"" + name + "\" is not a Linux interface name (1-15 characters, no '/' or space)");
            }
            if (!names.add(name))
            {
                throw nameNode.problem("port " + name + " is configured twice");
            }
            final ConfigNode driverNode = node(map, "driver", item.path());
            PortDriver driver = PortDriver.AF_PACKET;
            if (!driverNode.isMissing())
            {
                driver = PortDriver.fromConfigName(driverNode.text());
                if (driver == null)
                {
                    throw driverNode.problem("expected af-packet or pcap, found " + ConfigNode.describe(driverNode.value()));
                }
            }
            final ConfigNode vlansNode = node(map, "vlans", item.path());
            final Map<Integer, Integer> vlans = new HashMap<>();
            for (final Map.Entry<Object, ConfigNode> entry : vlansNode.freeMapping().entrySet())
            {
                final int vlan = vlanKey(entry.getKey(), entry.getValue());
                final int vni = vniNumber(entry.getValue());
                vlans.put(vlan, vni);
                // A VNI used by a port but not listed under vnis gets the defaults (docs/architecture.md §5 example).
                vnis.putIfAbsent(vni, new VniConfig(vni, List.of(), null, LearningMode.DATA_PLANE,
                    FdbSettings.DEFAULT_MAC_LIMIT));
            }
            if (vlans.isEmpty())
            {
                throw vlansNode.problem("is required: map at least \"untagged\" or one VLAN id to a VNI");
            }
            final ConfigNode segmentNode = node(map, "ethernet-segment", item.path());
            final EthernetSegmentConfig segment = segmentNode.isMissing() ? null : EthernetSegmentConfigReader.read(segmentNode);
            final ConfigNode vlanSegmentsNode = node(map, "vlan-segments", item.path());
            final Map<Integer, EthernetSegmentConfig> vlanSegments = EthernetSegmentConfigReader.perVlan(vlanSegmentsNode, vlans, segment);
            if ((segment != null || !vlanSegments.isEmpty()) && !bgp)
            {
                throw (segment != null ? segmentNode : vlanSegmentsNode).problem(
                    "multihoming needs BGP EVPN (RFC 7432 section 8): add a bgp section or remove it");
            }
            if (segment != null)
            {
                EthernetSegmentConfigReader.claim(segments, segment.esi(), name, segmentNode);
            }
            for (final Map.Entry<Integer, EthernetSegmentConfig> perVlan : vlanSegments.entrySet())
            {
                EthernetSegmentConfigReader.claim(segments, perVlan.getValue().esi(), name + " VLAN " + perVlan.getKey(),
                    new ConfigNode(vlanSegmentsNode.path() + "." + perVlan.getKey(), null));
            }
            // A segment's ESI gives LACP the identity both gateways present to the server's LAG; with a segment per VLAN,
            // the lowest VLAN's (LACP is the port's, one LAG whichever segments ride on it).
            final EthernetSegmentConfig identity = segment != null || vlanSegments.isEmpty() ? segment : vlanSegments.values().iterator().next();
            ports.add(new PortConfig(name, driver, vlans, stormControl(node(map, "storm-control", item.path())),
                LacpConfigReader.read(node(map, "lacp", item.path()), identity == null ? null : identity.esi().octets()), segment,
                vlanSegments));
        }
        return ports;
    }

    static int vlanKey(final Object key, final ConfigNode at) throws ConfigException
    {
        if ("untagged".equals(key))
        {
            return PortConfig.UNTAGGED;
        }
        if (key instanceof Integer id)
        {
            if (id < 1 || id > 4094)
            {
                throw at.problem("VLAN " + id + " is out of range 1..4094 (0 and 4095 are reserved by 802.1Q)");
            }
            return id;
        }
        throw at.problem("expected a VLAN id 1..4094 or \"untagged\" as the key, found " + ConfigNode.describe(key));
    }

    private static FdbConfig fdb(final ConfigNode node, final Map<Integer, VniConfig> vnis, final VtepAddress localIp)
        throws ConfigException
    {
        final Map<String, ConfigNode> map = node.mapping(FDB_KEYS);
        final int ageing = (int)node(map, "ageing-seconds", node.path()).integer(DEFAULT_AGEING_SECONDS, 1, 1_000_000);
        final ConfigNode maxEntriesNode = node(map, "max-entries", node.path());
        final int maxEntries = (int)maxEntriesNode.integer(0, 1, FdbSettings.MAX_MAX_ENTRIES);
        final int hold = (int)node(map, "local-move-hold-seconds", node.path()).integer(
            FdbSettings.DEFAULT_LOCAL_MOVE_HOLD_NANOS / 1_000_000_000L, 0, 3600);
        final List<FdbConfig.StaticEntry> entries = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (final ConfigNode item : node(map, "static", node.path()).list())
        {
            final Map<String, ConfigNode> entry = item.mapping(STATIC_KEYS);
            final ConfigNode vniNode = node(entry, "vni", item.path());
            final int vni = vniNumber(vniNode);
            if (!vnis.containsKey(vni))
            {
                throw vniNode.problem("VNI " + vni + " is neither under vnis nor mapped on a port");
            }
            final ConfigNode macNode = node(entry, "mac", item.path());
            final long mac;
            try
            {
                mac = MacAddress.parse(macNode.requiredText());
            }
            catch (final IllegalArgumentException ex)
            {
                throw macNode.problem("expected a MAC address like 02:00:00:00:00:09, found " + ConfigNode.describe(macNode.value()));
            }
            if (MacAddress.isGroup(mac) || MacAddress.isZero(mac))
            {
                throw macNode.problem(MacAddress.format(mac) + " is not a unicast MAC address");
            }
            if (!seen.add(vni + "/" + mac))
            {
                throw macNode.problem(MacAddress.format(mac) + " has two static entries in VNI " + vni);
            }
            final ConfigNode remoteNode = node(entry, "remote", item.path());
            final VtepAddress remote = sameFamily(remoteNode, address(remoteNode), localIp);
            if (remote.isMulticast())
            {
                throw remoteNode.problem(remote + " is a multicast address, not a VTEP");
            }
            entries.add(new FdbConfig.StaticEntry(vni, mac, remote));
        }
        if (maxEntries != 0 && entries.size() > maxEntries)
        {
            throw maxEntriesNode.problem(entries.size() + " static entries do not fit in max-entries " + maxEntries);
        }
        return new FdbConfig(ageing, entries, maxEntries, hold);
    }

    /** {@code api:} keys: {@link #API_KEYS} and the limits (README "HTTP API"). */
    private static final Set<String> API_SECTION_KEYS = Set.copyOf(java.util.stream.Stream.concat(API_KEYS.stream(),
        Set.of("max-connections", "header-timeout-seconds", "idle-timeout-seconds", "token-file", "tls").stream()).toList());
    private static final Set<String> API_TLS_KEYS = Set.of("certificate-file", "key-file");

    private static ApiConfig api(final ConfigNode node) throws ConfigException
    {
        final Map<String, ConfigNode> map = node.mapping(API_SECTION_KEYS);
        final ConfigNode listen = node(map, "listen", node.path());
        final ApiConfig address = listen.isMissing() ? ApiConfig.DEFAULT : hostAndPort(listen);
        // Bounds: at least one connection and one second; at most what a single-threaded HTTP
        // listener sensibly serves, so a typo cannot hand the API every file descriptor.
        return new ApiConfig(address.host(), address.port(),
            (int)node(map, "max-connections", node.path()).integer(ApiConfig.DEFAULT_MAX_CONNECTIONS, 1, 4096),
            (int)node(map, "header-timeout-seconds", node.path()).integer(ApiConfig.DEFAULT_HEADER_TIMEOUT_SECONDS, 1, 3600),
            (int)node(map, "idle-timeout-seconds", node.path()).integer(ApiConfig.DEFAULT_IDLE_TIMEOUT_SECONDS, 1, 86400),
            optionalPath(node(map, "token-file", node.path())), apiTls(node(map, "tls", node.path())));
    }

    /** {@code api.tls: {certificate-file, key-file}}, both needed; null when absent. */
    private static ApiConfig.Tls apiTls(final ConfigNode node) throws ConfigException
    {
        if (node.isMissing())
        {
            return null;
        }
        final Map<String, ConfigNode> map = node.mapping(API_TLS_KEYS);
        final ConfigNode certificate = node(map, "certificate-file", node.path());
        final ConfigNode key = node(map, "key-file", node.path());
        if (certificate.isMissing() || key.isMissing())
        {
            throw node.problem("needs both certificate-file and key-file (PEM files)");
        }
        return new ApiConfig.Tls(optionalPath(certificate), optionalPath(key));
    }

    private static java.nio.file.Path optionalPath(final ConfigNode node) throws ConfigException
    {
        if (node.isMissing())
        {
            return null;
        }
        final String text = node.text();
        if (text.isBlank())
        {
            throw node.problem("expected a file name");
        }
        return java.nio.file.Path.of(text);
    }

    /** {@code HOST:PORT} ({@code [v6]:PORT} for IPv6) with a literal address. */
    static ApiConfig hostAndPort(final ConfigNode listen) throws ConfigException
    {
        final String text = listen.text();
        final int colon = text.lastIndexOf(':');
        if (colon <= 0)
        {
            throw listen.problem("expected HOST:PORT like 127.0.0.1:9100, found \"" + text + "\"");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        try
        {
            VtepAddress.parse(host);
        }
        catch (final IllegalArgumentException ex)
        {
            throw listen.problem("\"" + host + "\" is not an IP address (host names are not resolved)");
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw listen.problem("\"" + text.substring(colon + 1) + "\" is not a port number");
        }
        if (port < 1 || port > 65535)
        {
            throw listen.problem("port " + port + " is out of range 1..65535");
        }
        return new ApiConfig(host, port);
    }

    private static int vniNumber(final ConfigNode node) throws ConfigException
    {
        return (int)node.integer(1, MAX_VNI);
    }

    static VtepAddress address(final ConfigNode node) throws ConfigException
    {
        final String text = node.requiredText();
        try
        {
            return VtepAddress.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.problem("\"" + text + "\" is not an IPv4 or IPv6 address");
        }
    }

    private static VtepAddress sameFamily(final ConfigNode node, final VtepAddress address, final VtepAddress localIp)
        throws ConfigException
    {
        if (address.isIpv6() != localIp.isIpv6())
        {
            throw node.problem(address + " is " + (address.isIpv6() ? "IPv6" : "IPv4") + " but vtep.local-ip " +
                localIp + " is " + (localIp.isIpv6() ? "IPv6" : "IPv4") + "; the underlay uses one address family");
        }
        return address;
    }
}
