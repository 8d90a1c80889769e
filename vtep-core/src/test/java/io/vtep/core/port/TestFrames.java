package io.vtep.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
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

    /**
     * Sends {@code frames} 1,000-byte frames from {@code from} while {@code to} does not read, then
     * drains {@code to}: received + {@code to}'s socket-queue drops since {@code dropsBefore} must
     * equal sent, exactly, and nothing more is dropped once drained.
     *
     * @return {@code to}'s drops so far
     */
    static long overflowAndDrain(final AccessPort from, final AccessPort to, final FrameBatch batch, final int frames,
        final long dropsBefore)
    {
        final UnsafeBuffer buffer = nativeCopy(frame(7, 1_000));
        int sent = 0;
        for (int i = 0; i < frames; i++)
        {
            sent += from.send(buffer, 0, 1_000) ? 1 : 0;
        }
        int received = 0;
        for (int count = to.receive(batch, 200); count > 0; count = to.receive(batch, 200))
        {
            received += count;
        }
        final long drops = to.socketQueueDrops();
        System.out.printf("%s: %d frames sent, %d received, %d dropped by the kernel at the socket%n", to, sent, received,
            drops - dropsBefore);
        assertEquals(sent, received + drops - dropsBefore, "received + socket-queue drops = sent");
        assertEquals(drops, to.socketQueueDrops(), "nothing more dropped once drained");
        return drops;
    }

    /** Sends each frame from {@code from}, from a native copy, and asserts that the port took it. */
    static void sendAll(final AccessPort from, final byte[]... frames)
    {
        for (final byte[] frame : frames)
        {
            assertTrue(from.send(nativeCopy(frame), 0, frame.length), "sent by " + from);
        }
    }

    /**
     * Sends {@code sent} from {@code from} and asserts that {@code to} receives exactly these frames, in
     * order and byte for byte (compared as hex, so that a failure shows where they differ).
     */
    static void assertDeliveredExactly(final AccessPort from, final AccessPort to, final FrameBatch batch,
        final byte[]... sent)
    {
        sendAll(from, sent);
        final List<byte[]> received = receive(to, batch, sent.length, 10_000);
        assertEquals(sent.length, received.size(), "frames received by " + to);
        for (int i = 0; i < sent.length; i++)
        {
            assertEquals(HexFormat.of().formatHex(sent[i]), HexFormat.of().formatHex(received.get(i)), "frame " + i);
        }
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
