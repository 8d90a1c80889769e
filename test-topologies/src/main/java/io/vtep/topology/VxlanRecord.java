package io.vtep.topology;

/**
 * One VXLAN packet of a capture, as decoded by tshark: the outer headers, the VXLAN header and
 * the inner Ethernet header.
 *
 * @param frameNumber     frame number in the capture (1-based)
 * @param frameLength     frame length on the wire, bytes
 * @param outerSrcMac     outer Ethernet source (null when captured without an Ethernet header)
 * @param outerDstMac     outer Ethernet destination
 * @param outerSrcIp      outer IPv4 or IPv6 source: the sending VTEP
 * @param outerDstIp      outer destination: the receiving VTEP (or multicast group)
 * @param outerTtl        outer IPv4 TTL or IPv6 hop limit
 * @param udpSrcPort      outer UDP source port (flow entropy)
 * @param udpDstPort      outer UDP destination port, 4789
 * @param vxlanFlags      the VXLAN flags field (16 bits as tshark shows them: 0x0800 = I flag)
 * @param vni             the VNI
 * @param innerSrcMac     inner Ethernet source
 * @param innerDstMac     inner Ethernet destination
 * @param innerEthertype  inner Ethernet type field as on the wire (0x8100 for a tagged frame)
 * @param innerVlanId     the inner 802.1Q VLAN id, or -1 when the inner frame is untagged
 * @param innerProtocols  tshark's protocol chain after the VXLAN header, e.g. "eth:ethertype:ip:icmp"
 */
public record VxlanRecord(int frameNumber, int frameLength, String outerSrcMac, String outerDstMac,
    String outerSrcIp, String outerDstIp, int outerTtl, int udpSrcPort, int udpDstPort,
    int vxlanFlags, int vni, String innerSrcMac, String innerDstMac, int innerEthertype,
    int innerVlanId, String innerProtocols)
{

    /** The VXLAN I flag (RFC 7348 §5: the VNI is valid), as tshark shows the 16-bit flags field. */
    public static final int FLAG_VNI_VALID = 0x0800;

    /** True when the I flag is set. */
    public boolean vniValid()
    {
        return (vxlanFlags & FLAG_VNI_VALID) != 0;
    }

    /** True when the inner frame carries {@code protocol} ("arp", "icmp", "tcp", "vlan", ...). */
    public boolean innerHas(String protocol)
    {
        for (String p : innerProtocols.split(":"))
        {
            if (p.equals(protocol))
            {
                return true;
            }
        }
        return false;
    }
}
