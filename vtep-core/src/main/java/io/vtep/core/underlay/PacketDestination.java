package io.vtep.core.underlay;

import static io.vtep.core.nativeio.LinuxConstants.IPV6_PKTINFO;
import static io.vtep.core.nativeio.LinuxConstants.IP_PKTINFO;
import static io.vtep.core.nativeio.LinuxConstants.SOL_IP;
import static io.vtep.core.nativeio.LinuxConstants.SOL_IPV6;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_DATA;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_LEN;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_LEVEL;
import static io.vtep.core.nativeio.LinuxStructs.CMSG_TYPE;

import org.agrona.DirectBuffer;

/**
 * Finds a received datagram's destination address in the control messages {@code recvmmsg} wrote:
 * {@code IP_PKTINFO} ({@code struct in_pktinfo}, ip(7): its {@code ipi_addr} is the header's
 * destination) or {@code IPV6_PKTINFO} ({@code struct in6_pktinfo}, RFC 3542 §6.1). The underlay
 * socket binds the wildcard address when a VNI floods by multicast, so the destination is what
 * tells a datagram to a VNI's group (RFC 7348 §4.2) from one to this VTEP. Walks the messages as
 * CMSG_FIRSTHDR/CMSG_NXTHDR do, in place: no allocation.
 */
final class PacketDestination
{
    /** Control bytes per datagram: CMSG_SPACE(sizeof(struct in6_pktinfo)) is 40; room for one more small message. */
    static final int CONTROL_SPACE = 64;
    /** Offset of {@code ipi_addr} in {@code struct in_pktinfo} (after {@code ipi_ifindex} and {@code ipi_spec_dst}). */
    private static final int IN_PKTINFO_ADDR = 8;
    private static final int IN_PKTINFO_SIZE = 12;
    /** {@code ipi6_addr} is first in {@code struct in6_pktinfo}, then {@code ipi6_ifindex}. */
    private static final int IN6_PKTINFO_SIZE = 20;

    private PacketDestination()
    {
    }

    /**
     * @param control       the buffer the control messages are in
     * @param offset        where they start
     * @param controlLength {@code msg_controllen} as the kernel left it
     * @param ipv6          look for {@code IPV6_PKTINFO}, else {@code IP_PKTINFO}
     * @return the index in {@code control} of the destination address (4 bytes for IPv4, 16 for
     *     IPv6, network order), or -1 when there is none (or a message is malformed)
     */
    static int find(final DirectBuffer control, final int offset, final int controlLength, final boolean ipv6)
    {
        int at = 0;
        while (at + CMSG_DATA <= controlLength)
        {
            final long length = control.getLong(offset + at + (int)CMSG_LEN);
            if (length < CMSG_DATA || at + length > controlLength)
            {
                return -1;
            }
            final int level = control.getInt(offset + at + (int)CMSG_LEVEL);
            final int type = control.getInt(offset + at + (int)CMSG_TYPE);
            if (ipv6 && level == SOL_IPV6 && type == IPV6_PKTINFO && length >= CMSG_DATA + IN6_PKTINFO_SIZE)
            {
                return offset + at + (int)CMSG_DATA;
            }
            if (!ipv6 && level == SOL_IP && type == IP_PKTINFO && length >= CMSG_DATA + IN_PKTINFO_SIZE)
            {
                return offset + at + (int)CMSG_DATA + IN_PKTINFO_ADDR;
            }
            at += (int)((length + 7) & ~7L); // CMSG_ALIGN
        }
        return -1;
    }
}
