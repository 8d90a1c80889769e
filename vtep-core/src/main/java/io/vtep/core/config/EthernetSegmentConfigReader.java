package io.vtep.core.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.multihoming.DfAlgorithm;

/**
 * Reads and checks a port's Ethernet segments (EVPN multihoming, RFC 7432 §8), every problem with
 * its key path: {@code ports[i].ethernet-segment}, the whole port one segment, or
 * {@code ports[i].vlan-segments}, a segment per VLAN of the port (RFC 7432 §5: an ES is a set of
 * links, here the port's logical link in that VLAN), e.g. a server whose VLANs are its own LAGs, or
 * one gateway pair DF of one VLAN and another of the other.
 */
final class EthernetSegmentConfigReader
{
    private static final Set<String> SEGMENT_KEYS = Set.of("esi", "system-mac", "local-discriminator", "df-algorithm", "df-preference",
        "df-election-seconds", "single-active");

    private EthernetSegmentConfigReader()
    {
    }

    /**
     * {@code ports[i].ethernet-segment}, or one VLAN's under {@code vlan-segments}: an ESI (type 0, or
     * type 3 from system-mac + local-discriminator) and its DF election.
     */
    static EthernetSegmentConfig read(final ConfigNode node) throws ConfigException
    {
        final Map<String, ConfigNode> map = node.mapping(SEGMENT_KEYS);
        final ConfigNode esiNode = ConfigLoader.node(map, "esi", node.path());
        final ConfigNode macNode = ConfigLoader.node(map, "system-mac", node.path());
        final ConfigNode discriminatorNode = ConfigLoader.node(map, "local-discriminator", node.path());
        final EthernetSegmentId esi;
        if (!esiNode.isMissing())
        {
            if (!macNode.isMissing() || !discriminatorNode.isMissing())
            {
                throw esiNode.problem("give either esi or system-mac with local-discriminator (RFC 7432 section 5 type 3), not both");
            }
            try
            {
                esi = EthernetSegmentId.parse(esiNode.requiredText());
            }
            catch (final IllegalArgumentException ex)
            {
                throw esiNode.problem(ex.getMessage());
            }
        }
        else if (!macNode.isMissing())
        {
            final EvpnMac systemMac;
            try
            {
                systemMac = EvpnMac.parse(macNode.requiredText());
            }
            catch (final IllegalArgumentException ex)
            {
                throw macNode.problem("\"" + macNode.text() + "\" is not a MAC address");
            }
            if (discriminatorNode.isMissing())
            {
                throw discriminatorNode.problem("is required with system-mac (the type-3 ESI's 3-octet local discriminator)");
            }
            esi = EthernetSegmentId.ofSystemMac(systemMac,
                (int)discriminatorNode.integer(0, EthernetSegmentId.MAX_LOCAL_DISCRIMINATOR));
        }
        else
        {
            throw esiNode.problem("is required (or system-mac with local-discriminator)");
        }
        if (esi.isReserved())
        {
            throw (esiNode.isMissing() ? macNode : esiNode).problem("ESI " + esi +
                " is reserved (RFC 7432 section 5: all zero means single-homed, all ones is MAX-ESI)");
        }
        final ConfigNode algorithmNode = ConfigLoader.node(map, "df-algorithm", node.path());
        DfAlgorithm algorithm = DfAlgorithm.MODULO;
        if (!algorithmNode.isMissing())
        {
            algorithm = DfAlgorithm.fromConfigName(algorithmNode.text());
            if (algorithm == null)
            {
                throw algorithmNode.problem("expected modulo or preference, found " + ConfigNode.describe(algorithmNode.value()));
            }
        }
        final ConfigNode preferenceNode = ConfigLoader.node(map, "df-preference", node.path());
        if (!preferenceNode.isMissing() && algorithm != DfAlgorithm.PREFERENCE)
        {
            throw preferenceNode.problem("applies to df-algorithm: preference only");
        }
        final int preference = (int)preferenceNode.integer(EthernetSegmentConfig.DEFAULT_DF_PREFERENCE, 0, 65535);
        final int electionSeconds = (int)ConfigLoader.node(map, "df-election-seconds", node.path())
            .integer(EthernetSegmentConfig.DEFAULT_DF_ELECTION_SECONDS, 0, 3600);
        final boolean singleActive = ConfigLoader.node(map, "single-active", node.path()).bool(false);
        return new EthernetSegmentConfig(esi, algorithm, preference, electionSeconds, singleActive);
    }

    /**
     * {@code ports[i].vlan-segments}: VLAN id → segment, for VLANs of the port's {@code vlans} only,
     * not with a segment of the whole port, each with an ESI of its own.
     *
     * @param vlans the port's VLAN → VNI map
     * @param whole the port's {@code ethernet-segment}, or null
     * @return the segments in VLAN order; empty when the key is absent
     */
    static Map<Integer, EthernetSegmentConfig> perVlan(final ConfigNode node, final Map<Integer, Integer> vlans,
        final EthernetSegmentConfig whole) throws ConfigException
    {
        final Map<Integer, EthernetSegmentConfig> segments = new TreeMap<>();
        if (node.isMissing())
        {
            return segments;
        }
        if (whole != null)
        {
            throw node.problem("give either ethernet-segment (the whole port one segment) or vlan-segments (a segment per VLAN), not both");
        }
        final Map<Object, ConfigNode> entries = node.freeMapping();
        if (entries.isEmpty())
        {
            throw node.problem("map at least one of the port's VLAN ids to a segment, or remove it");
        }
        for (final Map.Entry<Object, ConfigNode> entry : entries.entrySet())
        {
            final int vlan = ConfigLoader.vlanKey(entry.getKey(), entry.getValue());
            if (vlan == PortConfig.UNTAGGED)
            {
                // The API names a segment's VLAN with null for the whole port: untagged frames are the whole-port case.
                throw entry.getValue().problem("untagged frames have no segment of their own: use ethernet-segment for the whole port");
            }
            if (!vlans.containsKey(vlan))
            {
                throw entry.getValue().problem("VLAN " + vlan + " is not one of the port's vlans");
            }
            segments.put(vlan, read(entry.getValue()));
        }
        return segments;
    }

    /**
     * One segment, one link per gateway (RFC 7432 §8): the same ESI on two ports, or on two VLANs,
     * would be a LAG of our own.
     *
     * @param owners ESI → the port (and VLAN) that has it, so far
     * @param owner  the port, or "port VLAN n", taking {@code esi}
     */
    static void claim(final Map<EthernetSegmentId, String> owners, final EthernetSegmentId esi, final String owner, final ConfigNode at)
        throws ConfigException
    {
        final String previous = owners.putIfAbsent(esi, owner);
        if (previous != null)
        {
            throw at.problem("ESI " + esi + " is already the segment of port " + previous);
        }
    }
}
