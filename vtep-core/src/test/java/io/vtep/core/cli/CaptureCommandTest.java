package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vtep.core.capture.PcapngWriter;

/** {@code vtep capture}'s own work: its options, and copying the stream while counting what it holds. */
class CaptureCommandTest
{
    private static byte[] capture(final int frames, final boolean withStatistics)
    {
        final ByteBuf out = Unpooled.buffer();
        PcapngWriter.sectionHeader(out, "vtep capture");
        PcapngWriter.interfaceDescription(out, "vni100", "VNI 100", 256);
        for (int i = 0; i < frames; i++)
        {
            PcapngWriter.enhancedPacket(out, 1_000L + i, new UnsafeBuffer(new byte[61]), 0, 61, 61, PcapngWriter.INBOUND,
                "vtep 192.0.2.2 -> access acc1");
        }
        if (withStatistics)
        {
            PcapngWriter.interfaceStatistics(out, 2_000L, 1_000L, frames + 7, 7, frames);
        }
        return ByteBufUtil.getBytes(out);
    }

    @Test
    void copiesTheStreamUnchangedCountingFramesAndReadingTheDrops() throws Exception
    {
        final byte[] stream = capture(3, true);
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        final AtomicLong frames = new AtomicLong();
        assertEquals(7, CaptureCommand.copy(new DataInputStream(new ByteArrayInputStream(stream)), copy, false, frames));
        assertEquals(3, frames.get());
        assertArrayEquals(stream, copy.toByteArray());
    }

    @Test
    void aStreamWithoutStatisticsEndedEarly() throws Exception
    {
        final AtomicLong frames = new AtomicLong();
        assertEquals(-1, CaptureCommand.copy(new DataInputStream(new ByteArrayInputStream(capture(2, false))),
            new ByteArrayOutputStream(), true, frames));
        assertEquals(2, frames.get());
    }

    @Test
    void optionsAreCheckedBeforeAnythingIsAsked()
    {
        assertUsage("vtep capture: --vni is required", "capture", "-w", "x.pcapng");
        assertUsage("vtep capture: -w is required", "capture", "--vni", "100");
        assertUsage("--count ten is not a number", "capture", "--vni", "100", "--count", "ten", "-w", "-");
        assertUsage("--vni x is not a VNI", "capture", "--vni", "x", "-w", "-");
        assertUsage("unexpected argument '--filter'", "capture", "--vni", "100", "--filter", "icmp", "-w", "-");
        assertUsage("--seconds needs a value", "capture", "--vni", "100", "-w", "-", "--seconds");
    }

    private static void assertUsage(final String expected, final String... args)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_USAGE, code, message);
        assertTrue(message.contains(expected), message);
    }
}
