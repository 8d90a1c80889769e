package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The parsers of tool output, on output captured from the real tools on this machine. */
class ParsersTest
{

    @Test
    void pingAllReceived()
    {
        PingResult r = PingResult.parse("""
            PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.
            64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.603 ms
            64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.089 ms
            64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=0.078 ms

            --- 10.0.0.2 ping statistics ---
            3 packets transmitted, 3 received, 0% packet loss, time 407ms
            rtt min/avg/max/mdev = 0.078/0.256/0.603/0.244 ms
            """);
        assertEquals(3, r.transmitted());
        assertEquals(3, r.received());
        assertEquals(0, r.errors());
        assertEquals(0.0, r.lossPercent());
        assertEquals(0.078, r.rttMinMs());
        assertEquals(0.256, r.rttAvgMs());
        assertEquals(0.603, r.rttMaxMs());
        assertEquals(0.244, r.rttMdevMs());
        assertTrue(r.allReceived());
    }

    @Test
    void pingNothingBackWithErrors()
    {
        PingResult r = PingResult.parse("""
            PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.
            From 10.0.0.1 icmp_seq=1 Destination Host Unreachable

            --- 10.0.0.9 ping statistics ---
            3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2040ms
            """);
        assertEquals(3, r.transmitted());
        assertEquals(0, r.received());
        assertEquals(3, r.errors());
        assertEquals(100.0, r.lossPercent());
        assertTrue(Double.isNaN(r.rttAvgMs()));
        assertFalse(r.allReceived());
    }

    @Test
    void pingPartialLoss()
    {
        PingResult r = PingResult.parse("5 packets transmitted, 4 received, 20% packet loss, time 803ms\n" +
            "rtt min/avg/max/mdev = 0.050/0.070/0.090/0.010 ms\n");
        assertEquals(20.0, r.lossPercent());
        assertEquals(4, r.received());
    }

    @Test
    void pingWithoutSummaryIsAnError()
    {
        assertThrows(IllegalArgumentException.class, () -> PingResult.parse("ping: connect: Network is unreachable\n"));
    }

    @Test
    void json()
    {
        Object doc = Json.parse("""
            {"a": [1, -2.5e3, "x\\"y\\u0041", true, false, null], "b": {"c": 12345678901234}, "d": {}}
            """);
        assertEquals(List.of(1L, -2500.0, "x\"yA", true, false), ((List<?>)Json.at(doc, "a")).subList(0, 5));
        assertNull(((List<?>)Json.at(doc, "a")).get(5));
        assertEquals(12345678901234L, Json.at(doc, "b", "c"));
        assertEquals(Map.of(), Json.at(doc, "d"));
        assertNull(Json.at(doc, "b", "missing"));
        assertTrue(Double.isNaN(Json.number(doc, "nope")));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1,}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
    }

    @Test
    void iperf3Tcp()
    {
        Iperf3Result r = Iperf3Result.parse("""
            {"start": {"test_start": {"protocol": "TCP"}},
             "end": {"streams": [],
              "sum_sent": {"start": 0, "end": 1.00039, "seconds": 1.00039, "bytes": 1789526016,
                           "bits_per_second": 14310626983.476446, "retransmits": 713, "sender": true},
              "sum_received": {"start": 0, "end": 1.000855, "seconds": 1.000855, "bytes": 1789000000,
                           "bits_per_second": 14303978226.616241, "sender": true}}}
            """);
        assertEquals(14310626983.476446, r.sentBitsPerSecond());
        assertEquals(14303978226.616241, r.receivedBitsPerSecond());
        assertEquals(1789526016L, r.sentBytes());
        assertEquals(1789000000L, r.receivedBytes());
        assertEquals(713, r.retransmits());
        assertEquals(-1, r.lostPackets());
    }

    @Test
    void iperf3Udp()
    {
        Iperf3Result r = Iperf3Result.parse("""
            {"start": {"test_start": {"protocol": "UDP"}},
             "end": {"sum": {"bytes": 2500000, "bits_per_second": 20000000.0, "jitter_ms": 0.01,
                             "lost_packets": 3, "packets": 1800, "lost_percent": 0.16}}}
            """);
        assertEquals(-1, r.retransmits());
        assertEquals(3, r.lostPackets());
        assertEquals(0.16, r.lostPercent());
        assertEquals(0.01, r.jitterMs());
        assertEquals(2500000L, r.receivedBytes());
    }

    @Test
    void iperf3ErrorIsReportedWithItsMessage()
    {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Iperf3Result.parse("""
            {"start": {"connected": []}, "intervals": [], "end": {},
             "error": "unable to connect to server: Connection refused"}
            """));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    }

    @Test
    void bridgeFdbOfAKernelVtep()
    {
        List<BridgeFdbEntry> fdb = BridgeFdbEntry.parseJson("""
            [{"mac":"d2:e6:4a:20:83:c3","flags":[],"master":"br0","state":""},
             {"mac":"72:92:ca:ea:9d:ee","flags":[],"master":"br0","state":"permanent"},
             {"mac":"4a:f0:2b:5b:3f:d2","dst":"192.0.2.2","flags":["self"],"state":""},
             {"mac":"00:00:00:00:00:00","dst":"192.0.2.2","flags":["self"],"state":"permanent"}]
            """);
        assertEquals(4, fdb.size());
        BridgeFdbEntry bridgeEntry = fdb.get(0);
        assertEquals("br0", bridgeEntry.master());
        assertFalse(bridgeEntry.isVxlanEntry());
        BridgeFdbEntry learned = fdb.get(2);
        assertTrue(learned.isVxlanEntry());
        assertTrue(learned.isLearned());
        assertFalse(learned.isFloodEntry());
        assertEquals("192.0.2.2", learned.dst());
        BridgeFdbEntry flood = fdb.get(3);
        assertTrue(flood.isFloodEntry());
        assertFalse(flood.isLearned());
        assertEquals("00:00:00:00:00:00 dst 192.0.2.2 self permanent", flood.toString());
        assertEquals(List.of(), BridgeFdbEntry.parseJson(""));
    }

    @Test
    void neighbours()
    {
        List<Neighbor> n = Neighbor.parseJson("""
            [{"dst":"10.0.0.2","lladdr":"4A:F0:2B:5B:3F:D2","state":["REACHABLE"]},
             {"dst":"10.0.0.9","state":["FAILED"]}]
            """);
        assertEquals(new Neighbor("10.0.0.2", "4a:f0:2b:5b:3f:d2", List.of("REACHABLE")), n.get(0));
        assertTrue(n.get(0).resolved());
        assertFalse(n.get(1).resolved());
    }

    @Test
    void tsharkVxlanRowOverIpv4()
    {
        String line = String.join("\t", "7", "98", "eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data",
            "4e:56:c1:1d:79:25,32:0a:78:8e:f1:7e", "ba:e8:53:ad:b7:01,4a:f0:2b:5b:3f:d2", "0x0800,0x0800",
            "192.0.2.1,10.0.0.1", "192.0.2.2,10.0.0.2", "64,64", "", "", "",
            "52927", "4789", "0x0800", "100", "");
        VxlanRecord r = Tshark.toRecord(Tshark.parseFields(line + "\n", fieldsOf()).getFirst());
        assertEquals(7, r.frameNumber());
        assertEquals(98, r.frameLength());
        assertEquals("4e:56:c1:1d:79:25", r.outerSrcMac());
        assertEquals("192.0.2.1", r.outerSrcIp());
        assertEquals("192.0.2.2", r.outerDstIp());
        assertEquals(64, r.outerTtl());
        assertEquals(52927, r.udpSrcPort());
        assertEquals(4789, r.udpDstPort());
        assertTrue(r.vniValid());
        assertEquals(100, r.vni());
        assertEquals("32:0a:78:8e:f1:7e", r.innerSrcMac());
        assertEquals("4a:f0:2b:5b:3f:d2", r.innerDstMac());
        assertEquals(0x0800, r.innerEthertype());
        assertEquals(-1, r.innerVlanId());
        assertEquals("eth:ethertype:ip:icmp:data", r.innerProtocols());
        assertTrue(r.innerHas("icmp"));
    }

    @Test
    void tsharkVxlanRowOverIpv6WithATaggedInnerIpv4Frame()
    {
        // Outer IPv6, inner IPv4: ip.src holds only the inner address, ipv6.src the outer one.
        String line = String.join("\t", "1", "120", "eth:ethertype:ipv6:udp:vxlan:eth:ethertype:vlan:ethertype:ip:icmp",
            "02:00:00:00:00:01,02:00:00:00:00:0a", "02:00:00:00:00:02,02:00:00:00:00:0b", "0x86dd,0x8100",
            "10.0.0.1", "10.0.0.2", "64", "2001:db8::1", "2001:db8::2", "255",
            "40000", "4789", "0x0800", "5000", "10");
        VxlanRecord r = Tshark.toRecord(Tshark.parseFields(line, fieldsOf()).getFirst());
        assertEquals("2001:db8::1", r.outerSrcIp());
        assertEquals("2001:db8::2", r.outerDstIp());
        assertEquals(255, r.outerTtl());
        assertEquals(5000, r.vni());
        assertEquals("02:00:00:00:00:0a", r.innerSrcMac());
        assertEquals(0x8100, r.innerEthertype());
        assertEquals(10, r.innerVlanId());
    }

    private static List<String> fieldsOf()
    {
        return List.of("frame.number", "frame.len", "frame.protocols", "eth.src", "eth.dst", "eth.type",
            "ip.src", "ip.dst", "ip.ttl", "ipv6.src", "ipv6.dst", "ipv6.hlim",
            "udp.srcport", "udp.dstport", "vxlan.flags", "vxlan.vni", "vlan.id");
    }
}
