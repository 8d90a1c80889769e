package io.vtep.core.underlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.LinuxConstants;
import io.vtep.encap.VtepAddress;

/** Control messages as the kernel writes them (x86-64/arm64 layout: 16-byte cmsghdr, 8-byte alignment). */
class PacketDestinationTest
{
    private static final int BASE = 8;

    private final UnsafeBuffer control = new UnsafeBuffer(new byte[BASE + 128]);

    /** Writes a cmsghdr at {@code at} (relative to BASE) with {@code dataLength} data bytes; returns the data's index. */
    private int cmsg(final int at, final int level, final int type, final int dataLength)
    {
        control.putLong(BASE + at, 16 + dataLength);
        control.putInt(BASE + at + 8, level);
        control.putInt(BASE + at + 12, type);
        return BASE + at + 16;
    }

    @Test
    void theIpv4DestinationIsIpiAddrOfInPktinfo()
    {
        final int data = cmsg(0, LinuxConstants.SOL_IP, LinuxConstants.IP_PKTINFO, 12);
        control.putInt(data, 3); // ipi_ifindex
        VtepAddress.parse("192.0.2.1").put(control, data + 4); // ipi_spec_dst: the local address, not the destination
        VtepAddress.parse("239.1.1.100").put(control, data + 8); // ipi_addr
        final int found = PacketDestination.find(control, BASE, 32, false);
        assertEquals(VtepAddress.parse("239.1.1.100").ipv4(), control.getInt(found, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void theIpv6DestinationIsIpi6AddrAfterAnotherMessage()
    {
        cmsg(0, LinuxConstants.SOL_SOCKET, 29, 12); // SO_TIMESTAMPNS first: CMSG_SPACE(12) = 32
        final int data = cmsg(32, LinuxConstants.SOL_IPV6, LinuxConstants.IPV6_PKTINFO, 20);
        final VtepAddress group = VtepAddress.parse("ff05::100");
        group.put(control, data);
        control.putInt(data + 16, 3);
        final int found = PacketDestination.find(control, BASE, 32 + 40, true);
        assertEquals(group.ipv6High(), control.getLong(found, ByteOrder.BIG_ENDIAN));
        assertEquals(group.ipv6Low(), control.getLong(found + 8, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void noneWhenAbsentOfTheOtherFamilyShortOrMalformed()
    {
        assertEquals(-1, PacketDestination.find(control, BASE, 0, false), "no control bytes");
        cmsg(0, LinuxConstants.SOL_IP, LinuxConstants.IP_PKTINFO, 12);
        assertEquals(-1, PacketDestination.find(control, BASE, 32, true), "IPv4 pktinfo on an IPv6 socket");
        assertEquals(-1, PacketDestination.find(control, BASE, 20, false), "cmsg_len beyond msg_controllen (truncated)");
        cmsg(0, LinuxConstants.SOL_IP, LinuxConstants.IP_PKTINFO, 4);
        assertEquals(-1, PacketDestination.find(control, BASE, 32, false), "too short for an in_pktinfo");
        control.putLong(BASE, 3);
        assertEquals(-1, PacketDestination.find(control, BASE, 32, false), "cmsg_len below the header: no endless loop");
    }
}
