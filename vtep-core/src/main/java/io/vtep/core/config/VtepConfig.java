package io.vtep.core.config;

import java.util.List;

/**
 * A validated configuration (docs/architecture.md §5); {@code bgp} is null when the BGP EVPN control plane
 * is not configured; {@code dataplane} always holds values (the defaults when the section is absent). Built only by {@link ConfigLoader}, so every instance
 * has passed validation: components may trust it.
 */
public record VtepConfig(
    UnderlayConfig vtep,
    List<PortConfig> ports,
    List<VniConfig> vnis,
    FdbConfig fdb,
    ApiConfig api,
    BgpConfig bgp,
    DataplaneConfig dataplane,
    LogConfig log)
{
    public VtepConfig
    {
        log = log == null ? LogConfig.DEFAULT : log;
        ports = List.copyOf(ports);
        vnis = List.copyOf(vnis);
    }

    public VniConfig vni(final int vni)
    {
        for (final VniConfig config : vnis)
        {
            if (config.vni() == vni)
            {
                return config;
            }
        }
        return null;
    }
}
