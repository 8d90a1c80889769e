package io.vtep.evpn.codec;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only reader of classic pcap files of Ethernet frames, with TCP reassembly: each direction
 * of each connection becomes one byte stream, in sequence order, retransmissions folded, gaps
 * reported. Enough for the reference captures; not a general TCP implementation (no IP
 * fragments, no IPv6 extension headers, one connection per 4-tuple lifetime).
 */
final class TcpCapture
{
    private static final int LINKTYPE_ETHERNET = 1;

    /**
     * One direction of one TCP connection.
     *
     * @param source      "ip:port" of the sender.
     * @param destination "ip:port" of the receiver.
     * @param firstFrame  the 1-based frame number of its first segment (SYN or data).
     * @param sawSyn      whether the capture holds its SYN (else it starts mid-connection).
     * @param bytes       the reassembled payload.
     * @param frameOfByte the frame number each payload byte arrived in.
     */
    record Stream(String source, String destination, int firstFrame, boolean sawSyn, byte[] bytes, int[] frameOfByte)
    {
        @Override
        public String toString()
        {
            return source + " -> " + destination + " (" + bytes.length + " octets from frame " + firstFrame + ")";
        }
    }

    private TcpCapture()
    {
    }

    /**
     * @param name a file in testdata/captures, found at ../testdata/captures from the module.
     * @return the capture's path; fails the test with the reason when it is missing.
     */
    static Path locate(final String name)
    {
        final Path directory = Path.of(System.getProperty("user.dir")).resolve("../testdata/captures").normalize();
        final Path file = directory.resolve(name);
        if (!Files.isRegularFile(file))
        {
            fail("reference capture missing: " + file + " (resolved from user.dir=" + System.getProperty("user.dir") +
                " + ../testdata/captures; Maven runs tests from the module directory, and the captures are in the " +
                "repository's testdata/captures). It is a golden input: the test fails rather than skips.");
        }
        return file;
    }

    /**
     * @param file a classic pcap file of Ethernet frames.
     * @param port keep only TCP segments from or to this port (179 for BGP).
     * @return the streams, in order of their first frame.
     */
    static List<Stream> read(final Path file, final int port)
    {
        final ByteBuffer pcap;
        try
        {
            pcap = ByteBuffer.wrap(Files.readAllBytes(file));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        pcap.order(ByteOrder.LITTLE_ENDIAN);
        int magic = pcap.getInt(0);
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D)
        {
            pcap.order(ByteOrder.BIG_ENDIAN);
            magic = pcap.getInt(0);
        }
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D)
        {
            fail(file + ": not a classic pcap file");
        }
        if (pcap.getInt(20) != LINKTYPE_ETHERNET)
        {
            fail(file + ": link type " + pcap.getInt(20) + ", expected Ethernet (1)");
        }
        final Map<String, Assembler> assemblers = new LinkedHashMap<>();
        final List<Assembler> finished = new ArrayList<>();
        int offset = 24;
        int frame = 0;
        while (offset + 16 <= pcap.limit())
        {
            frame++;
            final int capturedLength = pcap.getInt(offset + 8);
            final int originalLength = pcap.getInt(offset + 12);
            if (capturedLength != originalLength)
            {
                fail(file + " frame " + frame + ": truncated capture (" + capturedLength + " of " + originalLength + ")");
            }
            final byte[] data = Arrays.copyOfRange(pcap.array(), offset + 16, offset + 16 + capturedLength);
            offset += 16 + capturedLength;
            segment(ByteBuffer.wrap(data), frame, port, assemblers, finished);
        }
        finished.addAll(assemblers.values());
        return finished.stream()
            .filter(assembler -> !assembler.segments.isEmpty() || assembler.sawSyn)
            .sorted((a, b) -> Integer.compare(a.firstFrame, b.firstFrame))
            .map(assembler -> assembler.stream(file))
            .toList();
    }

    private static void segment(
        final ByteBuffer frame,
        final int number,
        final int port,
        final Map<String, Assembler> assemblers,
        final List<Assembler> finished)
    {
        int offset = 12;
        int etherType = frame.getShort(offset) & 0xFFFF;
        offset += 2;
        while (etherType == 0x8100 || etherType == 0x88A8)
        {
            etherType = frame.getShort(offset + 2) & 0xFFFF;
            offset += 4;
        }
        final InetAddress source;
        final InetAddress destination;
        final int tcpOffset;
        final int ipEnd;
        if (etherType == 0x0800)
        {
            if (frame.get(offset + 9) != 6)
            {
                return;
            }
            final int headerLength = (frame.get(offset) & 0x0F) * 4;
            ipEnd = offset + (frame.getShort(offset + 2) & 0xFFFF);
            source = address(frame, offset + 12, 4);
            destination = address(frame, offset + 16, 4);
            tcpOffset = offset + headerLength;
        }
        else if (etherType == 0x86DD)
        {
            if (frame.get(offset + 6) != 6)
            {
                return;
            }
            ipEnd = offset + 40 + (frame.getShort(offset + 4) & 0xFFFF);
            source = address(frame, offset + 8, 16);
            destination = address(frame, offset + 24, 16);
            tcpOffset = offset + 40;
        }
        else
        {
            return;
        }
        final int sourcePort = frame.getShort(tcpOffset) & 0xFFFF;
        final int destinationPort = frame.getShort(tcpOffset + 2) & 0xFFFF;
        if (sourcePort != port && destinationPort != port)
        {
            return;
        }
        final long sequence = frame.getInt(tcpOffset + 4) & 0xFFFF_FFFFL;
        final int dataOffset = ((frame.get(tcpOffset + 12) & 0xF0) >>> 4) * 4;
        final int flags = frame.get(tcpOffset + 13) & 0xFF;
        final boolean syn = (flags & 0x02) != 0;
        final byte[] payload = Arrays.copyOfRange(frame.array(), tcpOffset + dataOffset, ipEnd);
        final String key = source.getHostAddress() + ":" + sourcePort + " " + destination.getHostAddress() + ":" + destinationPort;
        Assembler assembler = assemblers.get(key);
        if (syn && assembler != null)
        {
            finished.add(assemblers.remove(key));
            assembler = null;
        }
        if (assembler == null)
        {
            assembler = new Assembler(source.getHostAddress() + ":" + sourcePort, destination.getHostAddress() + ":" + destinationPort,
                number, syn, syn ? sequence + 1 : sequence);
            assemblers.put(key, assembler);
        }
        if (payload.length > 0)
        {
            assembler.add((sequence - assembler.base) & 0xFFFF_FFFFL, payload, number);
        }
    }

    private static InetAddress address(final ByteBuffer frame, final int offset, final int length)
    {
        try
        {
            return InetAddress.getByAddress(Arrays.copyOfRange(frame.array(), offset, offset + length));
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static final class Assembler
    {
        private final String source;
        private final String destination;
        private final int firstFrame;
        private final boolean sawSyn;
        private final long base;
        private final TreeMap<Long, byte[]> segments = new TreeMap<>();
        private final TreeMap<Long, Integer> frames = new TreeMap<>();

        Assembler(final String source, final String destination, final int firstFrame, final boolean sawSyn, final long base)
        {
            this.source = source;
            this.destination = destination;
            this.firstFrame = firstFrame;
            this.sawSyn = sawSyn;
            this.base = base;
        }

        void add(final long offset, final byte[] payload, final int frame)
        {
            final byte[] previous = segments.get(offset);
            if (previous == null || previous.length < payload.length)
            {
                segments.put(offset, payload);
                frames.put(offset, frame);
            }
        }

        Stream stream(final Path file)
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final List<Integer> frameOfByte = new ArrayList<>();
            long next = 0;
            for (final Map.Entry<Long, byte[]> entry : segments.entrySet())
            {
                final long offset = entry.getKey();
                final byte[] payload = entry.getValue();
                if (offset > next)
                {
                    fail(file + ": " + source + " -> " + destination + " has a gap of " + (offset - next) +
                        " octets before frame " + frames.get(offset) + " (segment missing from the capture)");
                }
                final int skip = (int)(next - offset);
                for (int i = skip; i < payload.length; i++)
                {
                    bytes.write(payload[i]);
                    frameOfByte.add(frames.get(offset));
                }
                next = Math.max(next, offset + payload.length);
            }
            return new Stream(source, destination, firstFrame, sawSyn, bytes.toByteArray(),
                frameOfByte.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
