package io.vtep.core.capture;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * Writes the pcapng blocks a capture stream is made of (draft-ietf-opsawg-pcapng, the format of
 * Wireshark and tshark): one Section Header Block, one Interface Description Block (link type
 * Ethernet, nanosecond timestamps), an Enhanced Packet Block per frame (with a comment and the
 * {@code epb_flags} direction and reception type), and an Interface Statistics Block at the end
 * with what was captured and dropped. Little-endian throughout: the section's byte-order magic says
 * so, and readers take either.
 */
public final class PcapngWriter
{
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION = 0x00000001;
    static final int INTERFACE_STATISTICS = 0x00000005;
    static final int ENHANCED_PACKET = 0x00000006;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    /** LINKTYPE_ETHERNET (tcpdump.org link-layer header types). */
    static final int LINKTYPE_ETHERNET = 1;

    static final int OPT_END = 0;
    static final int OPT_COMMENT = 1;
    static final int SHB_USERAPPL = 4;
    static final int IF_NAME = 2;
    static final int IF_DESCRIPTION = 3;
    static final int IF_TSRESOL = 9;
    static final int EPB_FLAGS = 2;
    static final int ISB_STARTTIME = 2;
    static final int ISB_ENDTIME = 3;
    static final int ISB_IFRECV = 4;
    static final int ISB_IFDROP = 5;
    static final int ISB_USRDELIV = 8;

    /** epb_flags bits 0-1 (pcapng §4.3.1): the frame was received (from the overlay). */
    public static final int INBOUND = 0b01;
    /** epb_flags bits 0-1: the frame was sent (from the access side towards the VNI). */
    public static final int OUTBOUND = 0b10;
    /** epb_flags bits 2-4, reception type. */
    public static final int UNICAST = 1 << 2;
    public static final int MULTICAST = 2 << 2;
    public static final int BROADCAST = 3 << 2;

    private PcapngWriter()
    {
    }

    /** The Section Header Block: byte order, version 1.0, section length unknown (a stream). */
    public static void sectionHeader(final ByteBuf out, final String application)
    {
        final int start = beginBlock(out, SECTION_HEADER);
        out.writeIntLE(BYTE_ORDER_MAGIC);
        out.writeShortLE(1);
        out.writeShortLE(0);
        out.writeLongLE(-1L);
        stringOption(out, SHB_USERAPPL, application);
        endOptions(out);
        endBlock(out, start);
    }

    /** Interface 0: Ethernet frames of one VNI, timestamps in nanoseconds ({@code if_tsresol} 9). */
    public static void interfaceDescription(final ByteBuf out, final String name, final String description,
        final int snaplen)
    {
        final int start = beginBlock(out, INTERFACE_DESCRIPTION);
        out.writeShortLE(LINKTYPE_ETHERNET);
        out.writeShortLE(0);
        out.writeIntLE(snaplen);
        stringOption(out, IF_NAME, name);
        stringOption(out, IF_DESCRIPTION, description);
        out.writeShortLE(IF_TSRESOL);
        out.writeShortLE(1);
        out.writeByte(9);
        pad(out, 3);
        endOptions(out);
        endBlock(out, start);
    }

    /**
     * One frame of interface 0.
     *
     * @param epochNanos when it was forwarded, nanoseconds since the epoch
     * @param frame      the captured bytes ({@code captured} of them from {@code offset})
     * @param original   the frame's length before the snaplen cut it
     * @param flags      {@code epb_flags}: {@link #INBOUND} / {@link #OUTBOUND} | reception type
     */
    public static void enhancedPacket(final ByteBuf out, final long epochNanos, final org.agrona.DirectBuffer frame,
        final int offset, final int captured, final int original, final int flags, final String comment)
    {
        final int start = beginBlock(out, ENHANCED_PACKET);
        out.writeIntLE(0);
        timestamp(out, epochNanos);
        out.writeIntLE(captured);
        out.writeIntLE(original);
        final int at = out.writerIndex();
        out.ensureWritable(captured);
        frame.getBytes(offset, out.internalNioBuffer(at, captured), captured);
        out.writerIndex(at + captured);
        pad(out, padding(captured));
        stringOption(out, OPT_COMMENT, comment);
        out.writeShortLE(EPB_FLAGS);
        out.writeShortLE(4);
        out.writeIntLE(flags);
        endOptions(out);
        endBlock(out, start);
    }

    /**
     * Interface 0's statistics at the end of a capture: frames the VNI offered it ({@code isb_ifrecv}),
     * dropped because the ring was full ({@code isb_ifdrop}), written to the stream ({@code isb_usrdeliv}).
     */
    public static void interfaceStatistics(final ByteBuf out, final long epochNanos, final long startEpochNanos,
        final long received, final long dropped, final long delivered)
    {
        final int start = beginBlock(out, INTERFACE_STATISTICS);
        out.writeIntLE(0);
        timestamp(out, epochNanos);
        out.writeShortLE(ISB_STARTTIME);
        out.writeShortLE(8);
        timestamp(out, startEpochNanos);
        out.writeShortLE(ISB_ENDTIME);
        out.writeShortLE(8);
        timestamp(out, epochNanos);
        longOption(out, ISB_IFRECV, received);
        longOption(out, ISB_IFDROP, dropped);
        longOption(out, ISB_USRDELIV, delivered);
        endOptions(out);
        endBlock(out, start);
    }

    /** The two 32-bit halves of a 64-bit count of {@code if_tsresol} units, high first. */
    private static void timestamp(final ByteBuf out, final long epochNanos)
    {
        out.writeIntLE((int)(epochNanos >>> 32));
        out.writeIntLE((int)epochNanos);
    }

    private static int beginBlock(final ByteBuf out, final int type)
    {
        final int start = out.writerIndex();
        out.writeIntLE(type);
        out.writeIntLE(0); // total length, filled in by endBlock
        return start;
    }

    private static void endBlock(final ByteBuf out, final int start)
    {
        final int length = out.writerIndex() - start + 4;
        out.writeIntLE(length);
        out.setIntLE(start + 4, length);
    }

    private static void stringOption(final ByteBuf out, final int code, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        final int length = Math.min(bytes.length, 0xFFFF);
        out.writeShortLE(code);
        out.writeShortLE(length);
        out.writeBytes(bytes, 0, length);
        pad(out, padding(length));
    }

    private static void longOption(final ByteBuf out, final int code, final long value)
    {
        out.writeShortLE(code);
        out.writeShortLE(8);
        out.writeLongLE(value);
    }

    private static void endOptions(final ByteBuf out)
    {
        out.writeShortLE(OPT_END);
        out.writeShortLE(0);
    }

    private static int padding(final int length)
    {
        return (4 - (length & 3)) & 3;
    }

    private static void pad(final ByteBuf out, final int bytes)
    {
        out.writeZero(bytes);
    }
}
