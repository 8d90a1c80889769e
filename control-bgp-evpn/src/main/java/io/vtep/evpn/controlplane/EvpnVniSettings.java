package io.vtep.evpn.controlplane;

import java.util.List;

import io.vtep.evpn.codec.attr.ExtendedCommunity;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/**
 * EVPN settings of one local VNI (one EVI in VLAN-based service, RFC 8365 §5.1.2).
 *
 * @param vni                 the VNI, 1..16777215.
 * @param routeDistinguisher  the RD, or {@code null} for FRR's automatic {@code router-id:index}.
 * @param importRouteTargets  RTs whose routes are imported; empty for the automatic {@code *:VNI}.
 * @param exportRouteTargets  RTs put on our routes; empty for the automatic {@code localAs:VNI}.
 */
public record EvpnVniSettings(
    int vni,
    RouteDistinguisher routeDistinguisher,
    List<ExtendedCommunity> importRouteTargets,
    List<ExtendedCommunity> exportRouteTargets)
{
    /** Checks the VNI and copies the lists. */
    public EvpnVniSettings
    {
        if (vni < 1 || vni > 0xFF_FFFF)
        {
            throw new IllegalArgumentException("VNI " + vni + " out of range 1..16777215");
        }
        importRouteTargets = importRouteTargets == null ? List.of() : List.copyOf(importRouteTargets);
        exportRouteTargets = exportRouteTargets == null ? List.of() : List.copyOf(exportRouteTargets);
    }

    /**
     * @param vni the VNI.
     * @return automatic RD and RTs, as FRR's {@code advertise-all-vni} derives them.
     */
    public static EvpnVniSettings auto(final int vni)
    {
        return new EvpnVniSettings(vni, null, List.of(), List.of());
    }
}
