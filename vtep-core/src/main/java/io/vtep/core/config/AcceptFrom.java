package io.vtep.core.config;

import io.vtep.fdb.LearningMode;

/**
 * Which remote VTEPs a VNI takes VXLAN from ({@code accept-from:} of a VNI). VXLAN carries no
 * authentication (RFC 7348 §7): the outer source address is all a VTEP has to go by.
 */
public enum AcceptFrom
{
    /**
     * Only the VNI's members: its flood list, the VTEPs of its static entries and its EVPN routes,
     * and on a multicast VNI the VTEPs that sent to its group (RFC 7348 §4.2, learned and aged).
     */
    MEMBERS,
    /** Any VTEP: pure flood-and-learn (RFC 7348 §4.1), where nothing configured says who belongs. */
    ANY;

    private final String label = ConfigWords.of(this);

    public String label()
    {
        return label;
    }

    /** @return the value for this configuration spelling, or null. */
    public static AcceptFrom parse(final String text)
    {
        return ConfigWords.parse(AcceptFrom.class, text);
    }

    /**
     * The default: {@link #MEMBERS} where the configuration says who belongs (a flood list, or a
     * VNI whose remote MACs come from EVPN or configuration only), {@link #ANY} for a VNI that
     * learns from the data plane with a multicast group or without a flood list, where the data
     * plane is the only thing that says who belongs. On a multicast VNI {@link #MEMBERS} works (members
     * are learned from the group) but is not the default: a peer's first unicast reply may arrive
     * before it has sent anything to the group, and would be dropped.
     */
    public static AcceptFrom defaultFor(final LearningMode learning, final boolean hasFloodList)
    {
        return learning.learnsRemote() && !hasFloodList ? ANY : MEMBERS;
    }
}
