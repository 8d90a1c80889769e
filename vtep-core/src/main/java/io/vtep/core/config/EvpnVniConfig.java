package io.vtep.core.config;

import java.util.List;

import io.vtep.evpn.codec.attr.ExtendedCommunity.RouteTarget;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;

/**
 * What a VNI overrides of the automatic EVPN identifiers (FRR's defaults: RD
 * {@code router-id:index}, RT {@code asn:VNI}; RFC 8365 §5.1.2.1), from the keys
 * {@code route-distinguisher} and {@code route-targets} of a {@code vnis[]} entry.
 *
 * @param vni                the VNI
 * @param routeDistinguisher RD of the VNI's routes; null = automatic
 * @param importTargets      routes carrying one of these are imported into the VNI; empty = automatic
 * @param exportTargets      attached to the VNI's routes; empty = automatic
 */
public record EvpnVniConfig(int vni, RouteDistinguisher routeDistinguisher, List<RouteTarget> importTargets, List<RouteTarget> exportTargets)
{
    public EvpnVniConfig
    {
        importTargets = List.copyOf(importTargets);
        exportTargets = List.copyOf(exportTargets);
    }
}
