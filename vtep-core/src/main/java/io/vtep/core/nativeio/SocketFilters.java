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

    /**
     * Steers an {@code SO_REUSEPORT} group's datagrams by CPU: a datagram received on a CPU of
     * {@code map} goes to the group's socket the map gives (sockets are numbered in the order they
     * joined the group); one received on any other CPU is left to the kernel's flow hash (a
     * program's answer outside the group means "hash", {@code reuseport_select_sock}).
     *
     * <p>Why: vtep's forwarding threads are pinned one per CPU, and the answer to what a thread
     * just sent through the underlay usually arrives on that thread's CPU (on a veth, even inside its
     * own {@code sendmmsg}: the kernel runs the far side in the sender's softirq). Steering it to
     * that thread's own socket, which it is still polling, saves waking another thread and
     * switching to it, the largest part of an idle round trip after the first wake-up.
     *
     * <p>Attached to one socket, the program serves the group.
     *
     * @param fd  a socket of the group (already bound)
     * @param map the socket for each CPU (the sockets' threads pinned to theirs)
     */
    public static void attachReuseportCpuSteering(final int fd, final CpuMap map, final String what) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            Libc.setsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ATTACH_REUSEPORT_CBPF,
                cpuMapProgram(arena, map, false),
                "setsockopt(SO_ATTACH_REUSEPORT_CBPF, by CPU) for " + what);
        }
    }

    /**
     * The program of a {@code PACKET_FANOUT_CBPF} group that steers by CPU: a frame received on a
     * CPU of {@code map} goes to the member the map gives; one received on any other CPU goes by
     * its flow hash ({@code skb->hash}, modulo the members), so a flow keeps its member; where the
     * receive path computed no hash that is 0, the first member.
     *
     * @param fd          a member of the group (the group already made with {@code PACKET_FANOUT_CBPF})
     */
    public static void attachFanoutCpuSteering(final int fd, final CpuMap map, final String what) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            Libc.setsockopt(fd, LinuxConstants.SOL_PACKET, LinuxConstants.PACKET_FANOUT_DATA, cpuMapProgram(arena, map, true),
                "setsockopt(SOL_PACKET, PACKET_FANOUT_DATA, by CPU) for " + what);
        }
    }

    /**
     * {@code ld #cpu}, then per CPU of the map {@code jeq #cpu} → {@code ret #index}; at the end (a CPU not in
     * the map) either {@code ret #-1} (outside any reuseport group: the kernel's hash decides) or
     * {@code ld #rxhash; ret a} (for fanout, which takes the answer modulo the members).
     */
    private static MemorySegment cpuMapProgram(final Arena arena, final CpuMap map, final boolean hashOtherwise)
    {
        final int[] cpus = map.cpus();
        final int[] indexes = map.indexes();
        final int length = 1 + 2 * cpus.length + (hashOtherwise ? 2 : 1);
        final MemorySegment instructions = arena.allocate(LinuxStructs.SOCK_FILTER, length);
        final int loadWord = LinuxConstants.BPF_LD | LinuxConstants.BPF_W | LinuxConstants.BPF_ABS;
        final int returnConstant = LinuxConstants.BPF_RET | LinuxConstants.BPF_K;
        int at = instruction(instructions, 0, loadWord, 0, 0, LinuxConstants.SKF_AD_OFF + LinuxConstants.SKF_AD_CPU);
        for (int i = 0; i < cpus.length; i++)
        {
            // equal: fall into the next instruction (ret index); not equal: skip it
            at = instruction(instructions, at, LinuxConstants.BPF_JMP | LinuxConstants.BPF_JEQ | LinuxConstants.BPF_K, 0, 1, cpus[i]);
            at = instruction(instructions, at, returnConstant, 0, 0, indexes[i]);
        }
        if (hashOtherwise)
        {
            at = instruction(instructions, at, loadWord, 0, 0, LinuxConstants.SKF_AD_OFF + LinuxConstants.SKF_AD_RXHASH);
            instruction(instructions, at, LinuxConstants.BPF_RET | LinuxConstants.BPF_A, 0, 0, 0);
        }
        else
        {
            instruction(instructions, at, returnConstant, 0, 0, -1);
        }
        final MemorySegment program = arena.allocate(LinuxStructs.SOCK_FPROG);
        program.set(ValueLayout.JAVA_SHORT, 0, (short)length);
        program.set(ValueLayout.ADDRESS, 8, instructions);
        return program;
    }

    /** Writes one {@code struct sock_filter} at index {@code at}; returns the next index. */
    private static int instruction(final MemorySegment program, final int at, final int code, final int jt, final int jf, final int k)
    {
        final long base = at * LinuxStructs.SOCK_FILTER.byteSize();
        program.set(ValueLayout.JAVA_SHORT, base, (short)code);
        program.set(ValueLayout.JAVA_BYTE, base + 2, (byte)jt);
        program.set(ValueLayout.JAVA_BYTE, base + 3, (byte)jf);
        program.set(ValueLayout.JAVA_INT, base + 4, k);
        return at + 1;
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
