package io.vtep.core.nativeio;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * Layouts of the Linux structures the bindings fill or read, as {@link StructLayout}s that name
 * every field the way the C header does, with the byte offsets derived from them.
 *
 * <p>The offsets are {@code static final long} constants computed once at class initialisation, so
 * the hot path reads a field at a constant offset ({@code buffer.getShort(base + SLL_PKTTYPE)})
 * without a {@code VarHandle}. Layouts are for LP64 Linux (x86_64, aarch64): pointers and
 * {@code size_t} are 8 bytes, {@code socklen_t} is 4.
 */
public final class LinuxStructs
{
    private LinuxStructs()
    {
    }

    /** {@code struct sockaddr_ll} from {@code <linux/if_packet.h>}: a packet socket address. */
    public static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sll_family"),
        JAVA_SHORT.withName("sll_protocol"),     // network byte order
        JAVA_INT.withName("sll_ifindex"),
        JAVA_SHORT.withName("sll_hatype"),
        JAVA_BYTE.withName("sll_pkttype"),
        JAVA_BYTE.withName("sll_halen"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));
    public static final long SLL_FAMILY = offset(SOCKADDR_LL, "sll_family");
    public static final long SLL_PROTOCOL = offset(SOCKADDR_LL, "sll_protocol");
    public static final long SLL_IFINDEX = offset(SOCKADDR_LL, "sll_ifindex");
    public static final long SLL_PKTTYPE = offset(SOCKADDR_LL, "sll_pkttype");

    /** {@code struct sockaddr_in} from {@code <linux/in.h>}. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sin_family"),
        JAVA_SHORT.withName("sin_port"),         // network byte order
        JAVA_INT.withName("sin_addr"),           // network byte order
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));
    public static final long SIN_FAMILY = offset(SOCKADDR_IN, "sin_family");
    public static final long SIN_PORT = offset(SOCKADDR_IN, "sin_port");
    public static final long SIN_ADDR = offset(SOCKADDR_IN, "sin_addr");

    /** {@code struct sockaddr_in6} from {@code <linux/in6.h>}. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sin6_family"),
        JAVA_SHORT.withName("sin6_port"),        // network byte order
        JAVA_INT.withName("sin6_flowinfo"),
        MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
        JAVA_INT.withName("sin6_scope_id"));
    public static final long SIN6_FAMILY = offset(SOCKADDR_IN6, "sin6_family");
    public static final long SIN6_PORT = offset(SOCKADDR_IN6, "sin6_port");
    public static final long SIN6_FLOWINFO = offset(SOCKADDR_IN6, "sin6_flowinfo");
    public static final long SIN6_ADDR = offset(SOCKADDR_IN6, "sin6_addr");
    public static final long SIN6_SCOPE_ID = offset(SOCKADDR_IN6, "sin6_scope_id");

    /** {@code struct iovec} from {@code <bits/types/struct_iovec.h>}. */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
        ADDRESS.withName("iov_base"),
        JAVA_LONG.withName("iov_len"));
    public static final long IOV_BASE = offset(IOVEC, "iov_base");
    public static final long IOV_LEN = offset(IOVEC, "iov_len");

    /** {@code struct msghdr} from {@code <bits/socket.h>}. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
        ADDRESS.withName("msg_name"),
        JAVA_INT.withName("msg_namelen"),
        MemoryLayout.paddingLayout(4),
        ADDRESS.withName("msg_iov"),
        JAVA_LONG.withName("msg_iovlen"),
        ADDRESS.withName("msg_control"),
        JAVA_LONG.withName("msg_controllen"),
        JAVA_INT.withName("msg_flags"),
        MemoryLayout.paddingLayout(4));
    public static final long MSG_NAME = offset(MSGHDR, "msg_name");
    public static final long MSG_NAMELEN = offset(MSGHDR, "msg_namelen");
    public static final long MSG_IOV = offset(MSGHDR, "msg_iov");
    public static final long MSG_IOVLEN = offset(MSGHDR, "msg_iovlen");
    public static final long MSG_CONTROL = offset(MSGHDR, "msg_control");
    public static final long MSG_CONTROLLEN = offset(MSGHDR, "msg_controllen");
    public static final long MSG_FLAGS = offset(MSGHDR, "msg_flags");

    /**
     * {@code struct mmsghdr} from {@code <bits/socket.h>} (one entry of a {@code recvmmsg} vector): a
     * msghdr and the length the kernel received into it.
     */
    public static final StructLayout MMSGHDR = MemoryLayout.structLayout(
        MSGHDR.withName("msg_hdr"),
        JAVA_INT.withName("msg_len"),
        MemoryLayout.paddingLayout(4));
    public static final long MMSG_HDR = offset(MMSGHDR, "msg_hdr");
    public static final long MMSG_LEN = offset(MMSGHDR, "msg_len");

    /**
     * {@code struct cmsghdr} from {@code <bits/socket.h>}; the data follows at {@link #CMSG_DATA},
     * and the next header at the current one plus {@code cmsg_len} rounded up to 8 (CMSG_ALIGN).
     */
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
        JAVA_LONG.withName("cmsg_len"),
        JAVA_INT.withName("cmsg_level"),
        JAVA_INT.withName("cmsg_type"));
    public static final long CMSG_LEN = offset(CMSGHDR, "cmsg_len");
    public static final long CMSG_LEVEL = offset(CMSGHDR, "cmsg_level");
    public static final long CMSG_TYPE = offset(CMSGHDR, "cmsg_type");
    public static final long CMSG_DATA = CMSGHDR.byteSize();

    /** {@code struct tpacket_auxdata} from {@code <linux/if_packet.h>}, in host byte order. */
    public static final StructLayout TPACKET_AUXDATA = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_status"),
        JAVA_INT.withName("tp_len"),
        JAVA_INT.withName("tp_snaplen"),
        JAVA_SHORT.withName("tp_mac"),
        JAVA_SHORT.withName("tp_net"),
        JAVA_SHORT.withName("tp_vlan_tci"),
        JAVA_SHORT.withName("tp_vlan_tpid"));
    public static final long TP_STATUS = offset(TPACKET_AUXDATA, "tp_status");
    public static final long TP_VLAN_TCI = offset(TPACKET_AUXDATA, "tp_vlan_tci");
    public static final long TP_VLAN_TPID = offset(TPACKET_AUXDATA, "tp_vlan_tpid");

    /**
     * {@code struct tpacket2_hdr} from {@code <linux/if_packet.h>}: the head of each frame of a
     * {@code TPACKET_V2} ring, followed (at {@link #TPACKET2_SOCKADDR}) by the frame's
     * {@code struct sockaddr_ll}; {@code tp_mac} is the frame's offset from the head.
     */
    public static final StructLayout TPACKET2_HDR = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_status"),
        JAVA_INT.withName("tp_len"),
        JAVA_INT.withName("tp_snaplen"),
        JAVA_SHORT.withName("tp_mac"),
        JAVA_SHORT.withName("tp_net"),
        JAVA_INT.withName("tp_sec"),
        JAVA_INT.withName("tp_nsec"),
        JAVA_SHORT.withName("tp_vlan_tci"),
        JAVA_SHORT.withName("tp_vlan_tpid"),
        MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("tp_padding"));
    public static final long TP2_STATUS = offset(TPACKET2_HDR, "tp_status");
    public static final long TP2_LEN = offset(TPACKET2_HDR, "tp_len");
    public static final long TP2_SNAPLEN = offset(TPACKET2_HDR, "tp_snaplen");
    public static final long TP2_MAC = offset(TPACKET2_HDR, "tp_mac");
    public static final long TP2_VLAN_TCI = offset(TPACKET2_HDR, "tp_vlan_tci");
    public static final long TP2_VLAN_TPID = offset(TPACKET2_HDR, "tp_vlan_tpid");
    /** {@code TPACKET_ALIGN(sizeof(struct tpacket2_hdr))}: where the frame's {@code sockaddr_ll} starts. */
    public static final long TPACKET2_SOCKADDR = TPACKET2_HDR.byteSize();

    /** {@code struct tpacket_req} from {@code <linux/if_packet.h>}: a ring's geometry. */
    public static final StructLayout TPACKET_REQ = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_block_size"),
        JAVA_INT.withName("tp_block_nr"),
        JAVA_INT.withName("tp_frame_size"),
        JAVA_INT.withName("tp_frame_nr"));
    public static final long TP_REQ_BLOCK_SIZE = offset(TPACKET_REQ, "tp_block_size");
    public static final long TP_REQ_BLOCK_NR = offset(TPACKET_REQ, "tp_block_nr");
    public static final long TP_REQ_FRAME_SIZE = offset(TPACKET_REQ, "tp_frame_size");
    public static final long TP_REQ_FRAME_NR = offset(TPACKET_REQ, "tp_frame_nr");

    /** {@code struct packet_mreq} from {@code <linux/if_packet.h>}. */
    public static final StructLayout PACKET_MREQ = MemoryLayout.structLayout(
        JAVA_INT.withName("mr_ifindex"),
        JAVA_SHORT.withName("mr_type"),
        JAVA_SHORT.withName("mr_alen"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("mr_address"));
    public static final long MR_IFINDEX = offset(PACKET_MREQ, "mr_ifindex");
    public static final long MR_TYPE = offset(PACKET_MREQ, "mr_type");

    /** {@code struct ip_mreqn} from {@code <linux/in.h>}: IP_ADD_MEMBERSHIP by interface index. */
    public static final StructLayout IP_MREQN = MemoryLayout.structLayout(
        JAVA_INT.withName("imr_multiaddr"),      // network byte order
        JAVA_INT.withName("imr_address"),        // network byte order
        JAVA_INT.withName("imr_ifindex"));
    public static final long IMR_MULTIADDR = offset(IP_MREQN, "imr_multiaddr");
    public static final long IMR_ADDRESS = offset(IP_MREQN, "imr_address");
    public static final long IMR_IFINDEX = offset(IP_MREQN, "imr_ifindex");

    /** {@code struct ipv6_mreq} from {@code <linux/in6.h>}: IPV6_ADD_MEMBERSHIP. */
    public static final StructLayout IPV6_MREQ = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("ipv6mr_multiaddr"),
        JAVA_INT.withName("ipv6mr_interface"));
    public static final long IPV6MR_MULTIADDR = offset(IPV6_MREQ, "ipv6mr_multiaddr");
    public static final long IPV6MR_INTERFACE = offset(IPV6_MREQ, "ipv6mr_interface");

    /** {@code struct pollfd} from {@code <asm-generic/poll.h>}. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
        JAVA_INT.withName("fd"),
        JAVA_SHORT.withName("events"),
        JAVA_SHORT.withName("revents"));
    public static final long POLL_FD = offset(POLLFD, "fd");
    public static final long POLL_EVENTS = offset(POLLFD, "events");
    public static final long POLL_REVENTS = offset(POLLFD, "revents");

    /** {@code struct sock_filter} from {@code <linux/filter.h>}: one classic BPF instruction. */
    public static final StructLayout SOCK_FILTER = MemoryLayout.structLayout(
        JAVA_SHORT.withName("code"),
        JAVA_BYTE.withName("jt"),
        JAVA_BYTE.withName("jf"),
        JAVA_INT.withName("k"));

    /** {@code struct sock_fprog} from {@code <linux/filter.h>}: a classic BPF program. */
    public static final StructLayout SOCK_FPROG = MemoryLayout.structLayout(
        JAVA_SHORT.withName("len"),
        MemoryLayout.paddingLayout(6),
        ADDRESS.withName("filter"));

    private static long offset(final StructLayout layout, final String field)
    {
        return layout.byteOffset(groupElement(field));
    }
}
