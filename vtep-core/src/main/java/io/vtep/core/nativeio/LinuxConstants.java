package io.vtep.core.nativeio;

/**
 * The Linux constants the native bindings use, grouped by the header that defines them.
 *
 * <p>Values are the Linux ABI values, identical on x86_64 and aarch64 (the two architectures whose
 * SysV calling convention the bindings rely on, see {@link Libc}). Each group names its header so
 * that a reader can check a value with {@code grep -r NAME /usr/include}.
 */
public final class LinuxConstants
{
    private LinuxConstants()
    {
    }

    // ---- <bits/socket.h>, <linux/socket.h>: address families and socket levels ----------------

    /** IPv4. */
    public static final int AF_INET = 2;
    /** IPv6. */
    public static final int AF_INET6 = 10;
    /** Unix domain sockets (used only for the closed-socket marker, see {@link SocketHandle}). */
    public static final int AF_UNIX = 1;
    /** Packet sockets: raw link-layer frames (packet(7)). */
    public static final int AF_PACKET = 17;

    /** {@code setsockopt} level of the generic socket options. */
    public static final int SOL_SOCKET = 1;
    /** {@code setsockopt} level of the IPv4 options (= IPPROTO_IP). */
    public static final int SOL_IP = 0;
    /** {@code setsockopt} level of the IPv6 options (= IPPROTO_IPV6). */
    public static final int SOL_IPV6 = 41;
    /** {@code setsockopt} level of the packet socket options. */
    public static final int SOL_PACKET = 263;

    // ---- <bits/socket_type.h> ---------------------------------------------------------------------

    /** Stream socket (only for the closed-socket marker). */
    public static final int SOCK_STREAM = 1;
    /** Datagram socket: UDP on AF_INET/AF_INET6 (the underlay receive socket). */
    public static final int SOCK_DGRAM = 2;
    /** Raw socket: whole frames on AF_PACKET, IP payloads (or whole IPv4 packets with IP_HDRINCL). */
    public static final int SOCK_RAW = 3;
    /** Close on exec, set atomically at creation so a forked {@code ip} never inherits our sockets. */
    public static final int SOCK_CLOEXEC = 0x80000; // 02000000

    // ---- <bits/socket.h>: send/recv flags -----------------------------------------------------------

    /** Control data was truncated (cmsg buffer too small). */
    public static final int MSG_CTRUNC = 0x08;
    /** As an input flag: return the real length of the packet even when it did not fit the buffer. */
    public static final int MSG_TRUNC = 0x20;
    /** Non-blocking for this call only. */
    public static final int MSG_DONTWAIT = 0x40;
    /** Never raise SIGPIPE (matters only for the closed-socket marker, which is a broken stream). */
    public static final int MSG_NOSIGNAL = 0x4000;

    /** {@code shutdown(2)} both directions. */
    public static final int SHUT_RDWR = 2;

    // ---- <asm-generic/socket.h>: SOL_SOCKET options ---------------------------------------------

    public static final int SO_RCVBUF = 8;
    /** Classic BPF socket filter ({@code struct sock_fprog}). */
    public static final int SO_ATTACH_FILTER = 26;
    /** {@code setsockopt}: a classic BPF program that picks the socket of an {@code SO_REUSEPORT} group. */
    public static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    /** Like SO_RCVBUF but ignores {@code net.core.rmem_max}; needs CAP_NET_ADMIN. */
    public static final int SO_RCVBUFFORCE = 33;
    /** Several sockets share one address and port; the kernel spreads datagrams over them by flow hash. */
    public static final int SO_REUSEPORT = 15;
    /**
     * {@code u32 meminfo[SK_MEMINFO_VARS]}: the socket's memory accounting and, at
     * {@link #SK_MEMINFO_DROPS}, the kernel's count of packets it dropped at the socket (Linux 4.6+).
     */
    public static final int SO_MEMINFO = 55;

    // ---- <linux/sock_diag.h>: the SO_MEMINFO array -----------------------------------------------

    /** Index of {@code sk_drops} in the SO_MEMINFO array: packets dropped at the socket (queue full, filter). */
    public static final int SK_MEMINFO_DROPS = 8;
    /** Entries in the SO_MEMINFO array. */
    public static final int SK_MEMINFO_VARS = 9;

    // ---- <linux/if_ether.h> ------------------------------------------------------------------------

    /** Every protocol: the packet socket sees every frame of the interface. */
    public static final int ETH_P_ALL = 0x0003;
    /** 802.1Q VLAN tag protocol identifier. */
    public static final int ETH_P_8021Q = 0x8100;

    // ---- <linux/if_packet.h> -----------------------------------------------------------------------

    /** {@code sll_pkttype}: frame sent by this host (any socket, any protocol) on the interface. */
    public static final int PACKET_OUTGOING = 4;
    /** {@code setsockopt}: join a {@code struct packet_mreq}. */
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    /** {@code packet_mreq.mr_type}: put the interface into promiscuous mode while the socket lives. */
    public static final int PACKET_MR_PROMISC = 1;
    /** {@code setsockopt}: deliver a {@code struct tpacket_auxdata} control message with each frame. */
    public static final int PACKET_AUXDATA = 8;
    /** {@code setsockopt} (Linux 4.20+): never queue PACKET_OUTGOING frames on this socket. */
    public static final int PACKET_IGNORE_OUTGOING = 23;
    /** Each frame read or written is preceded by a {@code struct virtio_net_hdr} (offload metadata). */
    public static final int PACKET_VNET_HDR = 15;
    /** {@code PACKET_FANOUT}: spread one interface's frames over a group of sockets. */
    public static final int PACKET_FANOUT = 18;
    /** Fanout by the kernel's flow hash: every frame of a flow goes to the same socket. */
    public static final int PACKET_FANOUT_HASH = 0;
    /** Fanout by a classic BPF program that returns the member's index (modulo the members). */
    public static final int PACKET_FANOUT_CBPF = 6;
    /** The selected member's queue is full (three quarters): hand the frame to another member. */
    public static final int PACKET_FANOUT_FLAG_ROLLOVER = 0x1000;
    /** {@code setsockopt}: the program of a {@link #PACKET_FANOUT_CBPF} group. */
    public static final int PACKET_FANOUT_DATA = 22;
    /**
     * The group does not take frames this host sends (Linux 6.2+): in a group the group's hook
     * decides, a member's own {@code PACKET_IGNORE_OUTGOING} is not used.
     */
    public static final int PACKET_FANOUT_FLAG_IGNORE_OUTGOING = 0x4000;
    /** With id 0: the kernel picks a group id unused in the namespace (read back with getsockopt). */
    public static final int PACKET_FANOUT_FLAG_UNIQUEID = 0x2000;
    /** {@code tpacket_auxdata.tp_status}: the frame had an 802.1Q/802.1ad tag, now in tp_vlan_tci. */
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** {@code tpacket_auxdata.tp_status}: tp_vlan_tpid holds the tag's TPID. */
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    /** {@code setsockopt}: the layout of a ring's frame headers ({@link #TPACKET_V2}); before {@link #PACKET_RX_RING}. */
    public static final int PACKET_VERSION = 10;
    /** {@code struct tpacket2_hdr} frames: one status word per frame, the reader woken per frame. */
    public static final int TPACKET_V2 = 1;
    /** {@code setsockopt}: a memory-mapped receive ring, {@code struct tpacket_req}. */
    public static final int PACKET_RX_RING = 5;
    /** {@code setsockopt}: a frame longer than a ring frame is also queued whole for {@code recvmsg} ({@link #TP_STATUS_COPY}). */
    public static final int PACKET_COPY_THRESH = 7;
    /** {@code getsockopt}: {@code struct tpacket_stats} (frames, drops) since the last read, which resets them. */
    public static final int PACKET_STATISTICS = 6;
    /** Ring frame status: the kernel's (free for the next frame). */
    public static final int TP_STATUS_KERNEL = 0;
    /** Ring frame status bit: the reader's (a frame is there). */
    public static final int TP_STATUS_USER = 1;
    /** Ring frame status bit: the frame did not fit; the whole frame waits in the socket queue. */
    public static final int TP_STATUS_COPY = 1 << 1;

    // ---- <linux/in.h> ------------------------------------------------------------------------------

    public static final int IPPROTO_UDP = 17;
    /**
     * Raw socket protocol "raw IP": send only, {@code IP_HDRINCL} implied (raw(7)); the kernel hands
     * such a socket no received packet except one of IP protocol 255, which nothing sends.
     */
    public static final int IPPROTO_RAW = 255;
    /** {@code setsockopt}/cmsg level of the UDP options (= IPPROTO_UDP). */
    public static final int SOL_UDP = 17;
    /** Time to live of unicast packets a socket sends. */
    public static final int IP_TTL = 2;
    /** Path MTU discovery mode of a socket: {@link #IP_PMTUDISC_DO} sets DF and never fragments. */
    public static final int IP_MTU_DISCOVER = 10;
    public static final int IP_PMTUDISC_DO = 2;
    /** The caller supplies the IPv4 header (raw(7)). */
    public static final int IP_HDRINCL = 3;
    /** {@code int}: deliver a {@code struct in_pktinfo} control message (the destination address) with each datagram. */
    public static final int IP_PKTINFO = 8;
    /** {@code struct in_addr} or {@code struct ip_mreqn}: interface for outgoing multicast. */
    public static final int IP_MULTICAST_IF = 32;
    /** Whether our own multicast is looped back to local listeners. */
    public static final int IP_MULTICAST_LOOP = 34;
    /** {@code struct ip_mreqn}: join a multicast group on an interface. */
    public static final int IP_ADD_MEMBERSHIP = 35;

    // ---- <linux/udp.h> -----------------------------------------------------------------------------

    /** {@code u16} segment size: the datagram sent is cut into datagrams of that payload size (UDP GSO, udp(7)). */
    public static final int UDP_SEGMENT = 103;

    // ---- <linux/in6.h> -----------------------------------------------------------------------------

    public static final int IPV6_UNICAST_HOPS = 16;
    /** {@code int} interface index for outgoing multicast. */
    public static final int IPV6_MULTICAST_IF = 17;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    /** {@code struct ipv6_mreq}: join a multicast group on an interface (IPV6_JOIN_GROUP). */
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    /** {@code int}: deliver an {@code IPV6_PKTINFO} control message with each datagram (RFC 3542 §6.1). */
    public static final int IPV6_RECVPKTINFO = 49;
    /** The control message type of a {@code struct in6_pktinfo}: destination address and interface. */
    public static final int IPV6_PKTINFO = 50;
    /** An AF_INET6 socket receives IPv6 only (no IPv4-mapped addresses). */
    public static final int IPV6_V6ONLY = 26;
    /** Never fragment: a packet larger than the path MTU fails with EMSGSIZE. */
    public static final int IPV6_DONTFRAG = 62;

    // ---- <linux/filter.h>, <linux/bpf_common.h> ----------------------------------------------------

    /** Classic BPF instruction class "return". */
    public static final int BPF_RET = 0x06;
    /** cBPF class: load into the accumulator. */
    public static final int BPF_LD = 0x00;
    /** cBPF size: a 32-bit word. */
    public static final int BPF_W = 0x00;
    /** cBPF mode: an absolute offset (ancillary data at {@link #SKF_AD_OFF} + n). */
    public static final int BPF_ABS = 0x20;
    /** cBPF class: jump. */
    public static final int BPF_JMP = 0x05;
    /** cBPF jump: if the accumulator equals k. */
    public static final int BPF_JEQ = 0x10;
    /** Where the kernel's ancillary loads start (include/uapi/linux/filter.h). */
    public static final int SKF_AD_OFF = -0x1000;
    /** Ancillary load: the CPU the program runs on (the one that received the packet). */
    public static final int SKF_AD_CPU = 36;
    /** Ancillary load: the packet's flow hash ({@code skb->hash}). */
    public static final int SKF_AD_RXHASH = 32;
    /** cBPF return: the accumulator. */
    public static final int BPF_A = 0x10;
    /** Classic BPF operand "constant k". */
    public static final int BPF_K = 0x00;

    // ---- <poll.h> / <asm-generic/poll.h> -----------------------------------------------------------

    public static final short POLLIN = 0x0001;

    // ---- <linux/sched.h>, <asm-generic/fcntl.h> ----------------------------------------------------

    /** {@code setns(2)} namespace type: network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000; // 02000000

    // ---- <asm-generic/errno-base.h>, <asm-generic/errno.h> -----------------------------------------

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int EACCES = 13;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOPROTOOPT = 92;
    public static final int EMSGSIZE = 90;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENOTCONN = 107;

    /** {@code <net/if.h>}: interface names are at most 15 bytes plus the terminating NUL. */
    public static final int IFNAMSIZ = 16;

    /** {@code htons}: a 16-bit value in network byte order, as stored by a native-order short write. */
    public static short htons(final int value)
    {
        return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ?
            Short.reverseBytes((short)value) : (short)value;
    }
}
