package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link HopCounters#parse}: the counters of {@code /proc/net/dev} and {@code /proc/net/snmp} by name. */
class HopCountersTest
{
    private static final String PROC = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
          eth0: 1500000    1000    4    7    0     0          0         0  3000000    2000    0    3    0     0       0          0
        Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors
        Ip: 2 64 1234 5 6
        Icmp: InMsgs InErrors
        Icmp: 10 11
        Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors
        Udp: 100 1 9 200 8 2 1
        UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors
        UdpLite: 0 0 0 0 0 0 0
        """;

    @Test
    void readsEachDevicesDropsAndTheIpAndUdpCountersByName()
    {
        final Map<String, Long> values = HopCounters.parse(PROC);

        assertEquals(4, values.get("eth0.rx_errs"));
        assertEquals(7, values.get("eth0.rx_drop"));
        assertEquals(3, values.get("eth0.tx_drop"));
        assertEquals(0, values.get("lo.tx_drop"));
        assertEquals(5, values.get("Ip.InHdrErrors"));
        assertEquals(6, values.get("Ip.InAddrErrors"));
        assertEquals(8, values.get("Udp.RcvbufErrors"));
        assertEquals(2, values.get("Udp.SndbufErrors"));
        assertEquals(1, values.get("Udp.InCsumErrors"));
        // Icmp and UdpLite are not read; UdpLite's zeros do not overwrite Udp's counters.
        assertEquals(null, values.get("Icmp.InErrors"));
        assertEquals(null, values.get("UdpLite.RcvbufErrors"));
    }
}
