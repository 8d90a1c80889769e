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
 * @param acceptFrom     which remote VTEPs the VNI takes VXLAN from
 * @param stormControl   BUM rates of the VNI (frames flooded from either side)
 * @param arpSuppression whether vtep answers ARP requests and neighbour solicitations for the IPs EVPN
 *                       and snooping bind (RFC 7432 §10); only with {@code learning: evpn}
 */
public record VniConfig(int vni, List<VtepAddress> flood, VtepAddress multicastGroup, LearningMode learning, int macLimit,
    AcceptFrom acceptFrom, StormControlConfig stormControl, boolean arpSuppression)
{
    public VniConfig
    {
        flood = List.copyOf(flood);
    }

    /** A VNI with the default ARP/ND suppression for its learning ({@link #defaultArpSuppression}). */
    public VniConfig(final int vni, final List<VtepAddress> flood, final VtepAddress multicastGroup,
        final LearningMode learning, final int macLimit, final AcceptFrom acceptFrom, final StormControlConfig stormControl)
    {
        this(vni, flood, multicastGroup, learning, macLimit, acceptFrom, stormControl, defaultArpSuppression(learning));
    }

    /**
     * On for EVPN VNIs, as NVIDIA Cumulus Linux (FRR-based) turns the bridge's {@code neigh_suppress}
     * on for every EVPN VNI; off otherwise (there are no MAC+IP routes to answer from).
     */
    public static boolean defaultArpSuppression(final LearningMode learning)
    {
        return learning == LearningMode.EVPN;
    }

    /** A VNI with the default {@link AcceptFrom} for its learning and flood list, and no storm control. */
    public VniConfig(final int vni, final List<VtepAddress> flood, final VtepAddress multicastGroup,
        final LearningMode learning, final int macLimit)
    {
        this(vni, flood, multicastGroup, learning, macLimit, AcceptFrom.defaultFor(learning, !flood.isEmpty()),
            StormControlConfig.OFF);
    }
}
