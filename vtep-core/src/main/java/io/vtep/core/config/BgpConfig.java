package io.vtep.core.config;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;

import io.vtep.encap.VtepAddress;

/**
 * The {@code bgp:} section (docs/architecture.md §5): the BGP EVPN control plane. Absent from a
 * configuration, vtep runs flood-and-learn only.
 *
 * @param asn                 local AS, 1..4294967295 (4-octet AS, RFC 6793)
 * @param routerId            BGP identifier (RFC 4271 §4.2); defaults to vtep.local-ip when that is IPv4
 * @param listenAddress       address the passive side binds; null = every address
 * @param listenPort          TCP port for incoming sessions, 179 by default
 * @param neighbors           the configured peers, in order
 * @param vnis                per-VNI route distinguisher / route target overrides (from {@code vnis[]})
 * @param duplicateMaxMoves   MAC moves within {@code duplicateWindow} that mark a MAC duplicate (RFC 7432 §15.1)
 * @param duplicateWindow     the window of duplicate detection
 * @param minimumHoldSeconds  the smallest hold time accepted in a neighbor's OPEN ({@code minimum-hold-time},
 *                            FRR's {@code bgp minimum-holdtime}); 0 accepts what RFC 4271 allows, including 0
 * @param duplicateFreeze     how long a duplicate MAC stays frozen ({@code duplicate-detection.freeze}, FRR's
 *                            {@code dup-addr-detection freeze}); null = until cleared ({@code permanent}, the default)
 */
public record BgpConfig(
    long asn,
    Inet4Address routerId,
    VtepAddress listenAddress,
    int listenPort,
    List<BgpNeighborConfig> neighbors,
    List<EvpnVniConfig> vnis,
    int duplicateMaxMoves,
    Duration duplicateWindow,
    int minimumHoldSeconds,
    Duration duplicateFreeze)
{
    /** FRR's {@code dup-addr-detection} defaults: 5 moves in 180 s. */
    public static final int DEFAULT_DUPLICATE_MAX_MOVES = 5;
    public static final int DEFAULT_DUPLICATE_WINDOW_SECONDS = 180;
    public static final int DEFAULT_PORT = 179;

    /** With duplicates frozen until cleared. */
    public BgpConfig(final long asn, final Inet4Address routerId, final VtepAddress listenAddress, final int listenPort,
        final List<BgpNeighborConfig> neighbors, final List<EvpnVniConfig> vnis, final int duplicateMaxMoves,
        final Duration duplicateWindow, final int minimumHoldSeconds)
    {
        this(asn, routerId, listenAddress, listenPort, neighbors, vnis, duplicateMaxMoves, duplicateWindow, minimumHoldSeconds, null);
    }

    public BgpConfig
    {
        neighbors = List.copyOf(neighbors);
        vnis = List.copyOf(vnis);
    }

    /** @return the override of one VNI, or null when it uses FRR's automatic RD and RTs. */
    public EvpnVniConfig vni(final int vni)
    {
        for (final EvpnVniConfig config : vnis)
        {
            if (config.vni() == vni)
            {
                return config;
            }
        }
        return null;
    }
}
