package io.vtep.encap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only reader of classic libpcap files (not pcapng): the 24-byte global header in either
 * byte order, microsecond or nanosecond timestamps, then records of a 16-byte header and the
 * captured bytes. Knows where the network layer starts for Ethernet (link type 1, with or
 * without one 802.1Q tag) and Linux cooked captures SLL (113) and SLL2 (276), which is what
 * {@code tcpdump -i any} writes.
 */
final class PcapFile
{
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int MAGIC_MICROSECONDS = 0xA1B2_C3D4;
    private static final int MAGIC_NANOSECONDS = 0xA1B2_3C4D;
    private static final int GLOBAL_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;

    /**
     * One captured packet.
     *
     * @param number         1-based, as Wireshark numbers frames.
     * @param timestampNanos capture time since the epoch.
     * @param originalLength length on the wire; more than {@code data.length} if truncated.
     * @param data           the captured bytes.
     */
    record Packet(int number, long timestampNanos, int originalLength, byte[] data)
    {
    }

    private final Path path;
    private final int linkType;
    private final int snapLength;
    private final List<Packet> packets;

    private PcapFile(final Path path, final int linkType, final int snapLength, final List<Packet> packets)
    {
        this.path = path;
        this.linkType = linkType;
        this.snapLength = snapLength;
        this.packets = packets;
    }

    static PcapFile read(final Path path) throws IOException
    {
        final ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(path));
        if (file.remaining() < GLOBAL_HEADER_LENGTH)
        {
            throw new IOException(path + ": " + file.remaining() + " bytes, shorter than a pcap global header");
        }

        file.order(ByteOrder.LITTLE_ENDIAN);
        int magic = file.getInt(0);
        if (magic != MAGIC_MICROSECONDS && magic != MAGIC_NANOSECONDS)
        {
            file.order(ByteOrder.BIG_ENDIAN);
            magic = file.getInt(0);
        }
        if (magic != MAGIC_MICROSECONDS && magic != MAGIC_NANOSECONDS)
        {
            throw new IOException(path + ": not a classic pcap file (magic " + Integer.toHexString(file.getInt(0)) +
                "; pcapng is not supported)");
        }

        final long nanosPerFraction = magic == MAGIC_NANOSECONDS ? 1 : 1000;
        final int major = file.getShort(4) & 0xFFFF;
        if (major != 2)
        {
            throw new IOException(path + ": unsupported pcap version " + major);
        }
        final int snapLength = file.getInt(16);
        // The upper bits of the link type field may carry FCS information (pcap spec §4).
        final int linkType = file.getInt(20) & 0xFFFF;

        final List<Packet> packets = new ArrayList<>();
        file.position(GLOBAL_HEADER_LENGTH);
        while (file.remaining() > 0)
        {
            if (file.remaining() < RECORD_HEADER_LENGTH)
            {
                throw new IOException(path + ": truncated record header after packet " + packets.size());
            }
            final long seconds = file.getInt() & 0xFFFF_FFFFL;
            final long fraction = file.getInt() & 0xFFFF_FFFFL;
            final int capturedLength = file.getInt();
            final int originalLength = file.getInt();
            if (capturedLength < 0 || capturedLength > file.remaining())
            {
                throw new IOException(path + ": packet " + (packets.size() + 1) + " claims " + capturedLength +
                    " bytes, " + file.remaining() + " left in the file");
            }
            final byte[] data = new byte[capturedLength];
            file.get(data);
            packets.add(new Packet(
                packets.size() + 1, seconds * 1_000_000_000L + fraction * nanosPerFraction, originalLength, data));
        }

        return new PcapFile(path, linkType, snapLength, List.copyOf(packets));
    }

    Path path()
    {
        return path;
    }

    int linkType()
    {
        return linkType;
    }

    int snapLength()
    {
        return snapLength;
    }

    List<Packet> packets()
    {
        return packets;
    }

    /**
     * @return the EtherType of the network layer protocol of a packet.
     */
    int networkProtocol(final Packet packet)
    {
        final ByteBuffer data = ByteBuffer.wrap(packet.data()).order(ByteOrder.BIG_ENDIAN);
        return switch (linkType)
        {
            case LINKTYPE_ETHERNET ->
            {
                final int etherType = data.getShort(12) & 0xFFFF;
                yield etherType == VlanTag.TPID ? data.getShort(16) & 0xFFFF : etherType;
            }
            case LINKTYPE_LINUX_SLL -> data.getShort(14) & 0xFFFF;
            case LINKTYPE_LINUX_SLL2 -> data.getShort(0) & 0xFFFF;
            default -> throw new IllegalStateException(path + ": unsupported link type " + linkType);
        };
    }

    /**
     * @return the offset of the network layer (IP) header in a packet's data.
     */
    int networkOffset(final Packet packet)
    {
        return switch (linkType)
        {
            case LINKTYPE_ETHERNET ->
                (ByteBuffer.wrap(packet.data()).getShort(12) & 0xFFFF) == VlanTag.TPID ? 18 : 14;
            case LINKTYPE_LINUX_SLL -> 16;
            case LINKTYPE_LINUX_SLL2 -> 20;
            default -> throw new IllegalStateException(path + ": unsupported link type " + linkType);
        };
    }
}
