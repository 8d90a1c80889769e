package io.vtep.core.config;

import java.util.List;

import io.vtep.encap.VtepAddress;
import io.vtep.fdb.LearningMode;

/**
 * One VNI.
 *
 * @param vni            VXLAN network identifier, 1..16777215
 * @param flood          static head-end replication list (remote VTEPs that get BUM traffic)
 * @param multicastGroup underlay group that gets BUM traffic instead of a flood list; null if none
 * @param learning       where MACs are learned from
 * @param macLimit       most MACs this VNI learns; 0 = no limit
 */
public record VniConfig(int vni, List<VtepAddress> flood, VtepAddress multicastGroup, LearningMode learning, int macLimit)
{
    public VniConfig
    {
        flood = List.copyOf(flood);
    }
}
