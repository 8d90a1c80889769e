package io.vtep.evpn.controlplane;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.multihoming.EthernetSegmentSettings;

/**
 * The EVPN control plane's settings.
 *
 * @param localAs           our AS.
 * @param routerId          our BGP identifier (also the administrator of automatic RDs).
 * @param localVtep         our VTEP address: next hop and PMSI tunnel endpoint of our routes.
 * @param vnis              the local VNIs that take part in EVPN.
 * @param duplicateMaxMoves moves of one MAC tolerated within {@code duplicateWindow} (FRR: 5).
 * @param duplicateWindow   the duplicate detection window (FRR: 180 s).
 * @param duplicateFreeze   how long a duplicate stays frozen before it is released on its own
 *                          (FRR's {@code dup-addr-detection freeze N}), or {@code null} until it is
 *                          cleared ({@code freeze permanent}, vtep's default).
 * @param segments          the local Ethernet segments (multihomed access ports, RFC 7432 §8).
 */
public record EvpnSettings(
    long localAs,
    Inet4Address routerId,
    VtepAddress localVtep,
    List<EvpnVniSettings> vnis,
    int duplicateMaxMoves,
    Duration duplicateWindow,
    Duration duplicateFreeze,
    List<EthernetSegmentSettings> segments)
{
    /** FRR's {@code dup-addr-detection max-moves} default. */
    public static final int DEFAULT_DUPLICATE_MAX_MOVES = 5;
    /** FRR's {@code dup-addr-detection time} default. */
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofSeconds(180);

    /** Without Ethernet segments. */
    public EvpnSettings(final long localAs, final Inet4Address routerId, final VtepAddress localVtep, final List<EvpnVniSettings> vnis,
        final int duplicateMaxMoves, final Duration duplicateWindow, final Duration duplicateFreeze)
    {
        this(localAs, routerId, localVtep, vnis, duplicateMaxMoves, duplicateWindow, duplicateFreeze, List.of());
    }

    /** With a permanent freeze of duplicates (until cleared). */
    public EvpnSettings(final long localAs, final Inet4Address routerId, final VtepAddress localVtep, final List<EvpnVniSettings> vnis,
        final int duplicateMaxMoves, final Duration duplicateWindow)
    {
        this(localAs, routerId, localVtep, vnis, duplicateMaxMoves, duplicateWindow, null);
    }

    /** Checks the fields and copies the list. */
    public EvpnSettings
    {
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(localVtep, "localVtep");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        vnis = List.copyOf(vnis);
        segments = segments == null ? List.of() : List.copyOf(segments);
        if (duplicateMaxMoves < 1)
        {
            throw new IllegalArgumentException("duplicateMaxMoves " + duplicateMaxMoves + " must be at least 1");
        }
        if (duplicateFreeze != null && (duplicateFreeze.isNegative() || duplicateFreeze.isZero()))
        {
            throw new IllegalArgumentException("duplicateFreeze " + duplicateFreeze + " must be positive (null: until cleared)");
        }
    }
}
