package io.vtep.core.port;

/**
 * What a host left undone in a frame it handed to its (virtual) NIC, as a driver reads it from
 * the kernel's offload metadata ({@code struct virtio_net_hdr} with {@code PACKET_VNET_HDR}),
 * packed into one {@code long} per frame of a {@link FrameBatch}.
 *
 * <ul>
 *   <li>{@link #NONE}: a finished wire frame.</li>
 *   <li>{@link #CHECKSUM}: the transport checksum is partial (pseudo-header only): sum from
 *       {@link #checksumStart} to the end, write at {@link #checksumOffset}.</li>
 *   <li>{@link #TCP_SEGMENTS} / {@link #UDP_SEGMENTS}: a super-frame (TSO/GSO, UDP GSO) to be cut
 *       into segments of {@link #segmentSize} payload bytes; its checksum is partial too.</li>
 *   <li>{@link #UNSUPPORTED}: an offload vtep does not do (UDP fragmentation offload, an unknown
 *       type); the frame is dropped and counted.</li>
 * </ul>
 *
 * <p>Offsets count from the frame start as the batch holds it (after a driver put an 802.1Q tag
 * back). Layout: bits 0–7 kind, 8–23 checksum start, 24–39 checksum offset, 40–55 segment size.
 */
public final class FrameOffload
{
    public static final long NONE = 0;
    public static final int CHECKSUM = 1;
    public static final int TCP_SEGMENTS = 2;
    public static final int UDP_SEGMENTS = 3;
    public static final int UNSUPPORTED = 4;

    private FrameOffload()
    {
    }

    public static long of(final int kind, final int checksumStart, final int checksumOffset, final int segmentSize)
    {
        return (kind & 0xFFL) | (checksumStart & 0xFFFFL) << 8 | (checksumOffset & 0xFFFFL) << 24 |
            (segmentSize & 0xFFFFL) << 40;
    }

    public static int kind(final long offload)
    {
        return (int)(offload & 0xFF);
    }

    public static int checksumStart(final long offload)
    {
        return (int)(offload >>> 8 & 0xFFFF);
    }

    public static int checksumOffset(final long offload)
    {
        return (int)(offload >>> 24 & 0xFFFF);
    }

    public static int segmentSize(final long offload)
    {
        return (int)(offload >>> 40 & 0xFFFF);
    }

    /** The same request for the frame after 4 bytes (an 802.1Q tag) were put in front of the transport header. */
    public static long shifted(final long offload, final int bytes)
    {
        return offload == NONE ? NONE :
            of(kind(offload), checksumStart(offload) + bytes, checksumOffset(offload), segmentSize(offload));
    }
}
