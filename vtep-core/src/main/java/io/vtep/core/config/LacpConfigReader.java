package io.vtep.core.config;

import java.util.Map;
import java.util.Set;

import io.vtep.core.lacp.LacpActorIdentity;
import io.vtep.encap.MacAddress;

/**
 * Reads and checks {@code ports[].lacp: { mode, rate, system-mac, key, port-number, system-priority }},
 * every problem with its key path.
 *
 * <p>System ID and key: explicit values win; otherwise they come from the port's Ethernet segment
 * ({@link LacpActorIdentity#fromEsi}), so that both gateways of the segment agree without saying
 * so twice. The {@code ethernet-segment} block belongs to the multihoming configuration; this
 * reader only looks for its ESI ({@code esi: "00:11:…"}, or {@code system-mac} with
 * {@code local-discriminator} for a type-3 ESI) and leaves checking it to that part.
 */
final class LacpConfigReader
{
    private static final Set<String> KEYS = Set.of("mode", "rate", "system-mac", "key", "port-number", "system-priority");

    private LacpConfigReader()
    {
    }

    /**
     * @param node           {@code ports[i].lacp}
     * @param esi  the ESI of the port's {@code ethernet-segment} (10 octets), or null: the identity
     *             both gateways derive from it when the port gives none
     */
    static LacpConfig read(final ConfigNode node, final byte[] esi) throws ConfigException
    {
        if (node.isMissing())
        {
            return LacpConfig.OFF;
        }
        final Map<String, ConfigNode> map = node.mapping(KEYS);
        final ConfigNode modeNode = ConfigLoader.node(map, "mode", node.path());
        final LacpMode mode;
        if (modeNode.isMissing())
        {
            mode = LacpMode.ACTIVE;
        }
        else if (modeNode.value() instanceof Boolean flag)
        {
            // YAML 1.1 reads an unquoted off (and on) as a boolean.
            mode = flag ? null : LacpMode.OFF;
        }
        else
        {
            mode = LacpMode.fromConfigName(modeNode.text());
        }
        if (mode == null)
        {
            throw modeNode.problem("expected active, passive or off, found " + ConfigNode.describe(modeNode.value()));
        }
        final ConfigNode rateNode = ConfigLoader.node(map, "rate", node.path());
        final String rate = rateNode.isMissing() ? "fast" : rateNode.text();
        if (!"fast".equals(rate) && !"slow".equals(rate))
        {
            throw rateNode.problem("expected fast or slow, found " + ConfigNode.describe(rateNode.value()));
        }
        final int systemPriority = (int)ConfigLoader.node(map, "system-priority", node.path())
            .integer(LacpActorIdentity.DEFAULT_SYSTEM_PRIORITY, 0, 65535);
        final int portNumber = (int)ConfigLoader.node(map, "port-number", node.path()).integer(0, 1, 65535);
        final ConfigNode macNode = ConfigLoader.node(map, "system-mac", node.path());
        final ConfigNode keyNode = ConfigLoader.node(map, "key", node.path());
        final LacpActorIdentity fromEsi = esi == null ? null : LacpActorIdentity.fromEsi(esi);
        if (mode != LacpMode.OFF && fromEsi == null && (macNode.isMissing() || keyNode.isMissing()))
        {
            throw (macNode.isMissing() ? macNode : keyNode).problem("is required when the port has no ethernet-segment " +
                "(both gateways of the server's LAG need the same system-mac and key)");
        }
        long systemMac = fromEsi == null ? 0 : fromEsi.system();
        if (!macNode.isMissing())
        {
            try
            {
                systemMac = MacAddress.parse(macNode.text());
            }
            catch (final IllegalArgumentException ex)
            {
                throw macNode.problem("expected a MAC address like 02:00:00:00:00:01, found " +
                    ConfigNode.describe(macNode.value()));
            }
            if (MacAddress.isGroup(systemMac) || MacAddress.isZero(systemMac))
            {
                throw macNode.problem("a LACP system ID is a unicast MAC address, not " + macNode.text());
            }
        }
        final int key = (int)keyNode.integer(fromEsi == null ? 0 : fromEsi.key(), 0, 65535);
        return new LacpConfig(mode, "fast".equals(rate), systemPriority, systemMac, key, portNumber);
    }
}
