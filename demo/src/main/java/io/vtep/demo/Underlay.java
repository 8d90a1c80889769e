package io.vtep.demo;

/**
 * The underlay's addressing: the two VTEPs' addresses, the multicast group for {@code --multicast},
 * and the MTU the hosts get so that an encapsulated full-size frame still fits the underlay's 1500.
 */
record Underlay(String vtepIp, String kernelIp, int prefixLength, String group, int hostMtu)
{
    /** 1500 minus the 50 bytes of outer IPv4 + UDP + VXLAN + inner Ethernet (RFC 7348 §4.3). */
    static final Underlay IPV4 = new Underlay("192.0.2.1", "192.0.2.2", 24, "239.1.1.100", 1450);
    /** 1500 minus the 70 bytes of outer IPv6 + UDP + VXLAN + inner Ethernet. */
    static final Underlay IPV6 = new Underlay("2001:db8::1", "2001:db8::2", 64, "ff05::100", 1430);

    static Underlay of(final DemoOptions options)
    {
        return options.ipv6() ? IPV6 : IPV4;
    }
}
