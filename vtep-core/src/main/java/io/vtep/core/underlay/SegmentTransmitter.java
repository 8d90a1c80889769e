package io.vtep.core.underlay;

import io.vtep.encap.VtepAddress;

/**
 * Sends the VXLAN packets made from one super-frame's segments in one system call, as one UDP
 * datagram that the kernel cuts into wire-size datagrams (UDP generic segmentation offload,
 * {@code UDP_SEGMENT}, udp(7)).
 *
 * <p>Why: a host with TSO hands vtep 64 KiB of TCP at a time; sent as ~45 separate VXLAN packets,
 * each pays the kernel's whole per-packet send path (and, on a veth underlay, the receiver's too).
 * Sent as one GSO datagram, it travels the stack as one buffer and is cut once, as late as
 * possible — by the NIC if it can, or by the receiver of a veth. Only the outer headers differ
 * between the segments (lengths, IPv4 ID, checksums), and those the kernel writes.
 *
 * <p>The payload handed in is the segments back to back, each a VXLAN header and an inner frame
 * (the UDP payload of one VXLAN packet, RFC 7348 §5); all have the segment size except the last,
 * which may be shorter.
 */
public interface SegmentTransmitter extends AutoCloseable
{
    /**
     * Most segments in one send: Linux's {@code UDP_MAX_SEGMENTS}, 64 in the kernels that
     * introduced UDP GSO (4.18) and raised later; the lower value works everywhere.
     */
    int MAX_SEGMENTS = 64;
    /** Largest UDP payload of one send: an IPv4 datagram's 65,535 bytes less its IPv4 and UDP headers. */
    int MAX_PAYLOAD = 65_535 - 20 - 8;

    /**
     * Whether packets with this outer UDP source port can be sent now. When not, the caller sends
     * them one by one, and the transmitter may make the port ready for later calls.
     */
    boolean ready(int sourcePort);

    /**
     * What one data-path thread needs to send (native {@code msghdr} and the like): made once per
     * thread when its pipeline is built, so that sending allocates nothing, not even the first time.
     */
    interface Scratch
    {
    }

    /** A new {@link Scratch} for one data-path thread. */
    Scratch newScratch();

    /**
     * @param scratch     the calling thread's own, from {@link #newScratch}
     * @param remote      the VTEP the packets go to
     * @param sourcePort  the flow's outer UDP source port (RFC 7348 §5); {@link #ready} said yes
     * @param address     native address of the first segment's VXLAN header
     * @param length      all segments together
     * @param segmentSize UDP payload of each segment but the last
     * @return true when the kernel took the datagram
     */
    boolean send(Scratch scratch, VtepAddress remote, int sourcePort, long address, int length, int segmentSize);

    @Override
    void close();
}
