package io.vtep.core.config;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One access port: a Linux interface facing bare-metal servers and how its VLANs map to VNIs.
 *
 * @param name         Linux interface name
 * @param driver       how frames are read and written
 * @param vlans        802.1Q VLAN id (1..4094) or {@link #UNTAGGED} → VNI
 * @param stormControl BUM rates of frames received on the port, all VLANs together
 * @param lacp         LACP on the port ({@link LacpConfig#OFF} for none)
 * @param ethernetSegment the multihomed segment the port is a link of, or null (single-homed)
 * @param vlanSegments    VLAN id → the segment that VLAN of the port is (instead of {@code ethernetSegment}), in VLAN order
 */
public record PortConfig(String name, PortDriver driver, Map<Integer, Integer> vlans, StormControlConfig stormControl,
    LacpConfig lacp, EthernetSegmentConfig ethernetSegment, Map<Integer, EthernetSegmentConfig> vlanSegments)
{
    /** Key of {@link #vlans} for frames that carry no 802.1Q tag. */
    public static final int UNTAGGED = -1;

    public PortConfig
    {
        vlans = Map.copyOf(vlans);
        vlanSegments = Collections.unmodifiableSortedMap(new TreeMap<>(vlanSegments));
    }

    /** A port that is one segment, or none. */
    public PortConfig(final String name, final PortDriver driver, final Map<Integer, Integer> vlans, final StormControlConfig stormControl,
        final LacpConfig lacp, final EthernetSegmentConfig ethernetSegment)
    {
        this(name, driver, vlans, stormControl, lacp, ethernetSegment, Map.of());
    }

    /** @return whether the port is a link of an Ethernet segment, as a whole or per VLAN (multihomed). */
    public boolean hasSegments()
    {
        return ethernetSegment != null || !vlanSegments.isEmpty();
    }

    /** A port without LACP or Ethernet segment. */
    public PortConfig(final String name, final PortDriver driver, final Map<Integer, Integer> vlans, final StormControlConfig stormControl)
    {
        this(name, driver, vlans, stormControl, LacpConfig.OFF, null);
    }

    /** A single-homed port with {@code lacp}. */
    public PortConfig(final String name, final PortDriver driver, final Map<Integer, Integer> vlans, final StormControlConfig stormControl,
        final LacpConfig lacp)
    {
        this(name, driver, vlans, stormControl, lacp, null);
    }

    /** A port without storm control. */
    public PortConfig(final String name, final PortDriver driver, final Map<Integer, Integer> vlans)
    {
        this(name, driver, vlans, StormControlConfig.OFF);
    }
}
