package io.vtep.core.testing;

import java.nio.ByteBuffer;

/** Hand-built Ethernet frames for pipeline tests. */
public final class EthernetFrames
{
    private EthernetFrames()
    {
    }

    /**
     * An untagged IPv4-typed frame of {@code length} bytes (header included): destination,
     * source, EtherType 0x0800, then bytes counting up.
     */
    public static byte[] ethernet(final long destination, final long source, final int length)
    {
        final ByteBuffer frame = ByteBuffer.allocate(length);
        putMac(frame, destination);
        putMac(frame, source);
        frame.putShort((short)0x0800);
        while (frame.hasRemaining())
        {
            frame.put((byte)frame.position());
        }
        return frame.array();
    }

    /** The same frame with an 802.1Q tag (PCP 0) for {@code vlan} after the source MAC. */
    public static byte[] tagged(final byte[] untagged, final int vlan)
    {
        final byte[] frame = new byte[untagged.length + 4];
        System.arraycopy(untagged, 0, frame, 0, 12);
        frame[12] = (byte)0x81;
        frame[13] = 0x00;
        frame[14] = (byte)(vlan >> 8);
        frame[15] = (byte)vlan;
        System.arraycopy(untagged, 12, frame, 16, untagged.length - 12);
        return frame;
    }

    private static void putMac(final ByteBuffer buffer, final long mac)
    {
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            buffer.put((byte)(mac >>> shift));
        }
    }
}
