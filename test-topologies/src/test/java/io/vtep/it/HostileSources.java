package io.vtep.it;

import java.time.Duration;

import io.vtep.topology.Netns;
import io.vtep.topology.Requirements;

/**
 * What an attacker on an access port or on the underlay sends (issue 15): written as small Python
 * programs on raw sockets (no scapy: a few hundred thousand frames must leave in seconds), run in
 * the attacker's namespace with Debian's {@code /usr/bin/python3}.
 */
final class HostileSources
{
    private HostileSources()
    {
    }

    /**
     * A MAC flood from one access host: {@code count} frames out of {@code iface}, each with a new
     * random unicast source MAC, all to {@code destinationMac} (EtherType 0x88b5, local experimental).
     */
    static void macFlood(final Netns host, final String iface, final String destinationMac, final int count)
    {
        run(host, """
            import os, socket
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind(('%s', 0))
            dst = bytes.fromhex('%s')
            tail = b'\\x88\\xb5' + bytes(46)
            count = %d
            macs = os.urandom(6 * count)
            for i in range(count):
                src = bytes([(macs[6 * i] & 0xfc) | 0x02]) + macs[6 * i + 1:6 * i + 6]
                s.send(dst + src + tail)
            print(count)
            """.formatted(iface, destinationMac.replace(":", ""), count));
    }

    /**
     * VXLAN packets with spoofed outer sources to {@code vtepIp}:4789, VNI {@code vni}: packet i
     * comes from {@code firstSource + i} (an IPv4 address as an int) and carries a broadcast frame
     * whose source MAC is {@code innerSourceMac}, or a random one when that is null. Sent in bursts
     * of 250 with a pause, so the receiver's socket buffer does not overflow.
     */
    static void spoofedVxlan(final Netns underlay, final String vtepIp, final int vni, final int firstSource,
        final int count, final String innerSourceMac)
    {
        run(underlay, """
            import os, socket, struct, time
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            dst = socket.inet_aton('%s')
            fixed = %s
            vxlan = struct.pack('!II', 0x08000000, %d << 8)
            for i in range(%d):
                mac = fixed if fixed else bytes([0x02]) + os.urandom(5)
                frame = b'\\xff' * 6 + mac + b'\\x88\\xb5' + bytes(46)
                udp_len = 8 + len(vxlan) + len(frame)
                udp = struct.pack('!HHHH', 49152 + i %% 16384, 4789, udp_len, 0)
                src = struct.pack('!I', (%d + i) & 0xffffffff)
                ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + udp_len, 0, 0x4000, 64, 17, 0, src, dst)
                s.sendto(ip + udp + vxlan + frame, ('%s', 0))
                if i %% 250 == 249:
                    time.sleep(0.01)
            """.formatted(vtepIp, innerSourceMac == null ? "None" : "bytes.fromhex('" + innerSourceMac.replace(":", "") + "')",
            vni, count, firstSource, vtepIp));
    }

    /** An IPv4 address as the int the scripts count from. */
    static int ipv4(final String dotted)
    {
        final String[] parts = dotted.split("\\.");
        return Integer.parseInt(parts[0]) << 24 | Integer.parseInt(parts[1]) << 16 | Integer.parseInt(parts[2]) << 8 |
            Integer.parseInt(parts[3]);
    }

    private static void run(final Netns netns, final String script)
    {
        Requirements.requireTools(Requirements.SYSTEM_PYTHON);
        netns.execOk(Duration.ofSeconds(120), Requirements.SYSTEM_PYTHON, "-c", script);
    }
}
