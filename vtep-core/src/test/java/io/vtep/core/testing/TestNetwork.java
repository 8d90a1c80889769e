package io.vtep.core.testing;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/**
 * The addresses the data-plane tests share, written once: this VTEP and two remote ones (RFC 5737
 * documentation range), the hosts on its access ports and one behind a remote VTEP.
 */
public final class TestNetwork
{
    public static final VtepAddress LOCAL = VtepAddress.parse("192.0.2.1");
    public static final VtepAddress VTEP_B = VtepAddress.parse("192.0.2.2");
    public static final VtepAddress VTEP_C = VtepAddress.parse("192.0.2.3");
    public static final long HOST_1 = MacAddress.parse("02:00:00:00:00:01");
    public static final long HOST_2 = MacAddress.parse("02:00:00:00:00:02");
    public static final long HOST_3 = MacAddress.parse("02:00:00:00:00:03");
    public static final long REMOTE_HOST = MacAddress.parse("02:00:00:00:00:0b");
    /** Outer IPv4 20 + UDP 8 + VXLAN 8. */
    public static final int IPV4_OVERHEAD = 36;

    private TestNetwork()
    {
    }
}
