package io.vtep.core.port;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

/** Hand-built Ethernet frames for port tests, recognisable by their source MAC prefix 02:76:74 ("vt"). */
final class TestFrames
{
    static final byte[] SOURCE_MAC = {0x02, 0x76, 0x74, 0x00, 0x00, 0x01};
    static final byte[] DESTINATION_MAC = {0x02, 0x76, 0x74, 0x00, 0x00, 0x02};
    /** IEEE 802 "local experimental" EtherType: no protocol on the host reacts to it. */
    static final int EXPERIMENTAL_ETHERTYPE = 0x88B5;

    private TestFrames()
    {
    }

    /**
     * dst MAC, src MAC, then each tag (TPID, TCI) given as pairs, then EtherType 0x88B5 and a
     * payload whose first 4 bytes are {@code sequence} and the rest a pattern.
     */
    static byte[] frame(final int sequence, final int length, final int... tpidTciPairs)
    {
        final byte[] frame = new byte[length];
        final ByteBuffer b = ByteBuffer.wrap(frame);
        b.put(DESTINATION_MAC).put(SOURCE_MAC);
        for (int i = 0; i < tpidTciPairs.length; i += 2)
        {
            b.putShort((short)tpidTciPairs[i]).putShort((short)tpidTciPairs[i + 1]);
        }
        b.putShort((short)EXPERIMENTAL_ETHERTYPE);
        b.putInt(sequence);
        while (b.hasRemaining())
        {
            b.put((byte)(b.position() * 7 + sequence));
        }
        return frame;
    }

    /** A native buffer holding {@code frame} at offset 0 (what {@link AccessPort#send} wants). */
    static UnsafeBuffer nativeCopy(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(frame.length, 1)));
        buffer.putBytes(0, frame);
        return buffer;
    }

    static boolean isTestFrame(final byte[] frame)
    {
        return frame.length >= 12 && Arrays.equals(frame, 6, 9, SOURCE_MAC, 0, 3);
    }

    /**
     * Receives until {@code expected} test frames arrived or {@code timeoutMillis} passed; frames
     * that are not test frames are skipped.
     */
    static List<byte[]> receive(final AccessPort port, final FrameBatch batch, final int expected, final long timeoutMillis)
    {
        final List<byte[]> frames = new ArrayList<>();
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (frames.size() < expected && System.nanoTime() < deadline)
        {
            final int count = port.receive(batch, 100);
            for (int i = 0; i < count; i++)
            {
                final byte[] frame = new byte[batch.frameLength(i)];
                batch.buffer().getBytes(batch.frameOffset(i), frame);
                if (isTestFrame(frame))
                {
                    frames.add(frame);
                }
            }
        }
        return frames;
    }
}
