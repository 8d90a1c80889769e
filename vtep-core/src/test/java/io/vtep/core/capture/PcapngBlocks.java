package io.vtep.core.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A minimal pcapng reader for tests: the blocks of a little-endian section, EPBs decoded. */
final class PcapngBlocks
{
    record Block(int type, ByteBuffer body)
    {
    }

    record Packet(long timestampNanos, byte[] data, int originalLength, String comment, int flags)
    {
    }

    private PcapngBlocks()
    {
    }

    static List<Block> blocks(final byte[] stream)
    {
        final ByteBuffer in = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        final List<Block> blocks = new ArrayList<>();
        int at = 0;
        while (at < stream.length)
        {
            final int type = in.getInt(at);
            final int length = in.getInt(at + 4);
            if (length < 12 || in.getInt(at + length - 4) != length)
            {
                throw new AssertionError("bad block length " + length + " at " + at);
            }
            blocks.add(new Block(type, in.slice(at, length).order(ByteOrder.LITTLE_ENDIAN)));
            at += length;
        }
        return blocks;
    }

    static List<Packet> packets(final byte[] stream)
    {
        final List<Packet> packets = new ArrayList<>();
        for (final Block block : blocks(stream))
        {
            if (block.type() != PcapngWriter.ENHANCED_PACKET)
            {
                continue;
            }
            final ByteBuffer b = block.body();
            final long time = ((long)b.getInt(12) << 32) | (b.getInt(16) & 0xFFFF_FFFFL);
            final int captured = b.getInt(20);
            final byte[] data = new byte[captured];
            b.get(28, data);
            String comment = null;
            int flags = 0;
            int at = 28 + ((captured + 3) & ~3);
            while (at < b.limit() - 4)
            {
                final int code = b.getShort(at) & 0xFFFF;
                final int length = b.getShort(at + 2) & 0xFFFF;
                if (code == PcapngWriter.OPT_END)
                {
                    break;
                }
                if (code == PcapngWriter.OPT_COMMENT)
                {
                    final byte[] text = new byte[length];
                    b.get(at + 4, text);
                    comment = new String(text, StandardCharsets.UTF_8);
                }
                else if (code == PcapngWriter.EPB_FLAGS)
                {
                    flags = b.getInt(at + 4);
                }
                at += 4 + ((length + 3) & ~3);
            }
            packets.add(new Packet(time, data, b.getInt(24), comment, flags));
        }
        return packets;
    }

    /** A 64-bit option of the Interface Statistics Block, or -1. */
    static long statistic(final byte[] stream, final int option)
    {
        for (final Block block : blocks(stream))
        {
            if (block.type() == PcapngWriter.INTERFACE_STATISTICS)
            {
                final ByteBuffer b = block.body();
                int at = 20;
                while (at < b.limit() - 4)
                {
                    final int code = b.getShort(at) & 0xFFFF;
                    final int length = b.getShort(at + 2) & 0xFFFF;
                    if (code == option)
                    {
                        return b.getLong(at + 4);
                    }
                    if (code == 0)
                    {
                        break;
                    }
                    at += 4 + ((length + 3) & ~3);
                }
            }
        }
        return -1;
    }
}
