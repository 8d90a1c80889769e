package io.vtep.core.nativeio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pinning a thread to a CPU ({@link CpuAffinity}) and steering an {@code SO_REUSEPORT} group by
 * the receiving CPU ({@link SocketFilters#attachReuseportCpuSteering}): on loopback a datagram is
 * received in the sender's own softirq, so a sender pinned to CPU c must reach the socket mapped
 * to c, every time.
 */
class CpuSteeringTest
{
    private final List<Integer> fds = new ArrayList<>();

    @AfterEach
    void close()
    {
        fds.forEach(Libc::closeQuietly);
    }

    @Test
    void theAllowedCpusAreTheProcessMaskAndPinningNarrowsItToOne() throws Exception
    {
        final int[] allowed = CpuAffinity.allowedCpus();
        assertArrayEquals(cpusAllowedList(), allowed, "sched_getaffinity against /proc/self/status");
        final int last = allowed[allowed.length - 1];
        final int[] pinned = PinnedThread.call(last, CpuAffinity::allowedCpus);
        assertArrayEquals(new int[] {last}, pinned);
        assertArrayEquals(allowed, CpuAffinity.allowedCpus(), "pinning another thread left this one alone");
    }

    @Test
    void aDatagramGoesToTheSocketOfTheCpuThatReceivedIt() throws Exception
    {
        final int[] cpuOfSocket = PinnedThread.twoCpusCrossed();
        final int port = 40_000 + (int)(ProcessHandle.current().pid() % 20_000);
        final int first = reusePortSocket(port);
        final int second = reusePortSocket(port);
        SocketFilters.attachReuseportCpuSteering(first, CpuMap.of(cpuOfSocket), "the test group");

        for (int round = 0; round < 3; round++)
        {
            for (int s = 0; s < cpuOfSocket.length; s++)
            {
                PinnedThread.call(cpuOfSocket[s], () -> sendLoopback(port, 10));
                assertEquals(s == 0 ? 10 : 0, drain(first), "socket 0 (CPU " + cpuOfSocket[0] + ") after sends from CPU " + cpuOfSocket[s]);
                assertEquals(s == 1 ? 10 : 0, drain(second), "socket 1 (CPU " + cpuOfSocket[1] + ") after sends from CPU " + cpuOfSocket[s]);
            }
        }
    }

    private int reusePortSocket(final int port) throws ErrnoException
    {
        final int fd = Libc.socket(LinuxConstants.AF_INET, LinuxConstants.SOCK_DGRAM, 0, "socket(AF_INET, SOCK_DGRAM)");
        fds.add(fd);
        Libc.setsockoptInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_REUSEPORT, 1, "SO_REUSEPORT");
        try (Arena arena = Arena.ofConfined())
        {
            Libc.bind(fd, loopback(arena, port), "bind 127.0.0.1:" + port);
        }
        return fd;
    }

    private static MemorySegment loopback(final Arena arena, final int port)
    {
        final MemorySegment sockaddr = arena.allocate(LinuxStructs.SOCKADDR_IN);
        sockaddr.set(ValueLayout.JAVA_SHORT, LinuxStructs.SIN_FAMILY, (short)LinuxConstants.AF_INET);
        sockaddr.set(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), LinuxStructs.SIN_PORT, (short)port);
        sockaddr.set(ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), LinuxStructs.SIN_ADDR, 0x7f000001);
        return sockaddr;
    }

    /** Sends {@code count} datagrams to 127.0.0.1:port from a fresh socket of the calling thread. */
    private static Void sendLoopback(final int port, final int count) throws ErrnoException
    {
        final int fd = Libc.socket(LinuxConstants.AF_INET, LinuxConstants.SOCK_DGRAM, 0, "socket(AF_INET, SOCK_DGRAM)");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment to = loopback(arena, port);
            final MemorySegment payload = arena.allocate(16);
            for (int i = 0; i < count; i++)
            {
                assertEquals(16, Libc.sendto(fd, payload.address(), 16, 0, to.address(), (int)to.byteSize()));
            }
        }
        finally
        {
            Libc.closeQuietly(fd);
        }
        return null;
    }

    private static int drain(final int fd)
    {
        final long scratch = NativeScratch.current().controlAddress();
        int received = 0;
        while (Libc.recvfrom(fd, scratch, 1, LinuxConstants.MSG_DONTWAIT | LinuxConstants.MSG_TRUNC, 0, 0) >= 0)
        {
            received++;
        }
        return received;
    }

    /** {@code Cpus_allowed_list} of /proc/self/status ("0-3,8"), expanded. */
    private static int[] cpusAllowedList() throws Exception
    {
        final String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow();
        final List<Integer> cpus = new ArrayList<>();
        for (final String range : line.substring(line.indexOf(':') + 1).strip().split(","))
        {
            final String[] ends = range.split("-");
            final int from = Integer.parseInt(ends[0]);
            final int to = ends.length == 1 ? from : Integer.parseInt(ends[1]);
            for (int cpu = from; cpu <= to; cpu++)
            {
                cpus.add(cpu);
            }
        }
        return cpus.stream().mapToInt(Integer::intValue).toArray();
    }
}
