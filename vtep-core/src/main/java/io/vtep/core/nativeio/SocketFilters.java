package io.vtep.core.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Classic BPF socket filters ({@code SO_ATTACH_FILTER}, see {@code Documentation/networking/filter.rst}).
 */
public final class SocketFilters
{
    private SocketFilters()
    {
    }

    /**
     * Makes a socket that is only ever written to queue nothing.
     *
     * <p>Why: a raw IP socket of protocol UDP receives a copy of <em>every</em> UDP packet the host
     * receives (raw(7)). Nobody reads the transmitters' sockets, so without a filter each would fill
     * its receive buffer with copies, costing a clone per received packet until the buffer is full.
     * The one-instruction program {@code ret #0} ({@code BPF_RET|BPF_K}, k = 0) accepts zero bytes of
     * every packet, which drops it before it is queued. Packets queued between {@code socket()} and
     * this call are then drained.
     */
    public static void attachDropAll(final int fd, final String what) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment instruction = arena.allocate(LinuxStructs.SOCK_FILTER);
            instruction.set(ValueLayout.JAVA_SHORT, 0, (short)(LinuxConstants.BPF_RET | LinuxConstants.BPF_K));
            instruction.set(ValueLayout.JAVA_BYTE, 2, (byte)0); // jt
            instruction.set(ValueLayout.JAVA_BYTE, 3, (byte)0); // jf
            instruction.set(ValueLayout.JAVA_INT, 4, 0);        // k: accept 0 bytes = drop

            final MemorySegment program = arena.allocate(LinuxStructs.SOCK_FPROG);
            program.set(ValueLayout.JAVA_SHORT, 0, (short)1);
            program.set(ValueLayout.ADDRESS, 8, instruction);

            Libc.setsockopt(
                fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ATTACH_FILTER, program,
                "setsockopt(SO_ATTACH_FILTER, drop all) for " + what);
        }
        drainQueued(fd);
    }

    /** Discards whatever is queued on {@code fd} without waiting. */
    public static void drainQueued(final int fd)
    {
        final long scratch = NativeScratch.current().controlAddress();
        final int flags = LinuxConstants.MSG_DONTWAIT | LinuxConstants.MSG_TRUNC;
        for (int i = 0; i < 1_000_000 && Libc.recvfrom(fd, scratch, 1, flags, 0, 0) >= 0; i++)
        {
            // each call dequeues and discards one datagram
        }
    }
}
