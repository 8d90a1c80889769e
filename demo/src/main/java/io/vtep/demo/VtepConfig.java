package io.vtep.demo;

/**
 * vtep's configuration for the demo, as YAML with a comment on each line that needs one (README.md,
 * "Configuration reference", explains every key).
 */
final class VtepConfig
{
    /** vtep's HTTP API and /metrics, inside the vtep namespace. */
    static final String API = "http://127.0.0.1:9100";

    private VtepConfig()
    {
    }

    static String yaml(final DemoOptions options, final Underlay underlay)
    {
        final StringBuilder yaml = new StringBuilder();
        final String bum;
        final String bumComment;
        if (options.evpn())
        {
            bum = "learning: evpn";
            bumComment = "MACs and flood list from BGP, not from VXLAN packets";
        }
        else if (options.multicast())
        {
            bum = "multicast-group: \"" + underlay.group() + "\"";
            bumComment = "BUM: one copy to the group";
        }
        else
        {
            bum = "flood: [\"" + underlay.kernelIp() + "\"]";
            bumComment = "BUM: a copy to each VTEP in the list";
        }
        line(yaml, "# written by bin/vtep demo; every key is explained in README.md, \"Configuration reference\"", null);
        line(yaml, "vtep:", null);
        line(yaml, "  local-ip: \"" + underlay.vtepIp() + "\"", "this VTEP's address on the underlay (ul0)");
        line(yaml, "  udp-port: 4789", "the IANA VXLAN port (the kernel's default is 8472)");
        line(yaml, "ports:", null);
        line(yaml, "  - name: acc1", "the access port h1 is cabled to");
        if (options.vlan())
        {
            line(yaml, "    vlans: { untagged: " + DemoNetwork.VNI + ", " + DemoNetwork.VLAN + ": " + DemoNetwork.VLAN_VNI + " }",
                "untagged frames -> VNI " + DemoNetwork.VNI + ", VLAN " + DemoNetwork.VLAN + " -> VNI " + DemoNetwork.VLAN_VNI);
        }
        else
        {
            line(yaml, "    vlans: { untagged: " + DemoNetwork.VNI + " }", "untagged frames -> VNI " + DemoNetwork.VNI);
        }
        line(yaml, "vnis:", null);
        line(yaml, "  - vni: " + DemoNetwork.VNI, null);
        line(yaml, "    " + bum, bumComment);
        if (options.vlan())
        {
            line(yaml, "  - vni: " + DemoNetwork.VLAN_VNI, null);
            line(yaml, "    " + bum, bumComment);
        }
        line(yaml, "api:", null);
        line(yaml, "  listen: 127.0.0.1:9100", "HTTP API and /metrics, in the vtep namespace");
        if (options.evpn())
        {
            line(yaml, "bgp:", "the BGP EVPN control plane");
            line(yaml, "  asn: " + DemoNetwork.ASN, "iBGP: the same AS as FRR");
            line(yaml, "  neighbors:", null);
            line(yaml, "    - address: \"" + underlay.kernelIp() + "\"", "FRR, next to the kernel VTEP");
            line(yaml, "      remote-as: " + DemoNetwork.ASN, null);
            line(yaml, "      hold-time: 9", "keepalive every 3 s; a silent peer is dropped after 9 s");
        }
        return yaml.toString();
    }

    /** FRR's bgpd.conf: iBGP to vtep, l2vpn evpn only, timers as vtep's hold-time 9, connect retry 1 s. */
    static String frrBgpd(final Underlay underlay)
    {
        final String vtep = underlay.vtepIp();
        return "hostname kvtep\n" + "router bgp " + DemoNetwork.ASN + "\n" + " bgp router-id " + underlay.kernelIp() + "\n" +
            " no bgp default ipv4-unicast\n" + " neighbor " + vtep + " remote-as " + DemoNetwork.ASN + "\n" + " neighbor " + vtep + " timers 3 9\n" +
            " neighbor " + vtep + " timers connect 1\n" + " address-family l2vpn evpn\n" + "  neighbor " + vtep + " activate\n" +
            "  advertise-all-vni\n" + " exit-address-family\n" + "exit\n";
    }

    /** One line of YAML, comments in one column. */
    private static void line(final StringBuilder yaml, final String text, final String comment)
    {
        yaml.append(comment == null ? text : String.format("%-38s # %s", text, comment)).append('\n');
    }
}
