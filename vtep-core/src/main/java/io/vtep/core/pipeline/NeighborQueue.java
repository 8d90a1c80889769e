package io.vtep.core.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.vtep.fdb.RecordQueue;

/**
 * Neighbours snooped by the access pipelines (ARP, IPv6 Neighbor Discovery) on their way to the
 * control plane, which advertises them as EVPN MAC/IP routes (RFC 7432 §7.2). A {@link RecordQueue},
 * as the FDB's learn queue is: written in place by any number of data-path threads (lock-free,
 * allocation-free), drained by one control thread into a {@link NeighborHandler}, the addresses
 * decoded here.
 * When the ring is full the neighbour is dropped and counted: the host's next ARP or NS/NA offers it
 * again, and the data path never waits for the control plane. Each record is 64 bytes:
 *
 * <pre>
 *   record header (8)  length, msgTypeId = IPV4 | IPV6
 *   +0  int   vni
 *   +4  int   IPv4 address (IPV4 only), big-endian (the bytes as on the wire)
 *   +8  long  mac        low 48 bits
 *   +16 long  IPv6 address, high 64 bits (IPV6 only)
 *   +24 long  IPv6 address, low 64 bits (IPV6 only)
 *   +32       padding to 56
 * </pre>
 */
public final class NeighborQueue extends RecordQueue<NeighborHandler>
{
    static final int IPV4 = 4;
    static final int IPV6 = 6;

    private static final int VNI_OFFSET = 0;
    private static final int IPV4_OFFSET = 4;
    private static final int MAC_OFFSET = 8;
    private static final int IPV6_HIGH_OFFSET = 16;
    private static final int IPV6_LOW_OFFSET = 24;
    /**
     * 32 bytes are used; the rest pads the record (with its 8-byte header) to 64, a power of two, so
     * that the ring, whose size must be one, holds exactly the capacity asked for (rounded up to a
     * power of two).
     */
    private static final int LENGTH = 56;

    private static final VarHandle DROPS;

    static
    {
        try
        {
            DROPS = MethodHandles.lookup().findVarHandle(NeighborQueue.class, "drops", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final byte[] ipv4Bytes = new byte[4];
    private final byte[] ipv6Bytes = new byte[16];
    /** Racy by design, like the data-path counters: bumped only when full, read at scrape time. */
    @SuppressWarnings("unused")
    private long drops;

    /**
     * @param capacity neighbours the queue holds before it drops (rounded up to a power of two, at least 8)
     */
    public NeighborQueue(final int capacity)
    {
        super(capacity, LENGTH);
    }

    /**
     * Data path: lock-free, allocation-free.
     *
     * @param address the IPv4 address as read big-endian from the packet ({@code a.b.c.d} = {@code a << 24 | ...})
     * @return false when the queue is full (counted in {@link #drops()})
     */
    boolean offerIpv4(final int vni, final long mac, final int address)
    {
        final int index = claim(IPV4);
        if (index < 0)
        {
            countDrop();
            return false;
        }
        final MutableDirectBuffer buffer = buffer();
        buffer.putInt(index + VNI_OFFSET, vni);
        buffer.putInt(index + IPV4_OFFSET, address, ByteOrder.BIG_ENDIAN);
        buffer.putLong(index + MAC_OFFSET, mac);
        buffer.putLong(index + IPV6_HIGH_OFFSET, 0L);
        buffer.putLong(index + IPV6_LOW_OFFSET, 0L);
        commit(index);
        return true;
    }

    /**
     * Data path: lock-free, allocation-free.
     *
     * @param high the first 8 bytes of the IPv6 address, read big-endian
     * @param low  the last 8 bytes, read big-endian
     * @return false when the queue is full (counted in {@link #drops()})
     */
    boolean offerIpv6(final int vni, final long mac, final long high, final long low)
    {
        final int index = claim(IPV6);
        if (index < 0)
        {
            countDrop();
            return false;
        }
        final MutableDirectBuffer buffer = buffer();
        buffer.putInt(index + VNI_OFFSET, vni);
        buffer.putInt(index + IPV4_OFFSET, 0);
        buffer.putLong(index + MAC_OFFSET, mac);
        buffer.putLong(index + IPV6_HIGH_OFFSET, high);
        buffer.putLong(index + IPV6_LOW_OFFSET, low);
        commit(index);
        return true;
    }

    private void countDrop()
    {
        // A plain read and an opaque store, no atomic read-modify-write: every data-path thread may
        // get here at once when the control plane falls behind, and a lost increment under that race
        // matters less than a contended cache line on the packet path.
        DROPS.setOpaque(this, (long)DROPS.getOpaque(this) + 1);
    }

    /** Control thread: the addresses are made here, off the data path. */
    @Override
    protected void decode(final int type, final DirectBuffer records, final int index, final NeighborHandler handler)
    {
        final int vni = records.getInt(index + VNI_OFFSET);
        final long mac = records.getLong(index + MAC_OFFSET);
        final InetAddress ip;
        try
        {
            if (type == IPV4)
            {
                records.getBytes(index + IPV4_OFFSET, ipv4Bytes);
                ip = InetAddress.getByAddress(ipv4Bytes);
            }
            else
            {
                final ByteBuffer bytes = ByteBuffer.wrap(ipv6Bytes).order(ByteOrder.BIG_ENDIAN);
                bytes.putLong(records.getLong(index + IPV6_HIGH_OFFSET)).putLong(records.getLong(index + IPV6_LOW_OFFSET));
                ip = InetAddress.getByAddress(ipv6Bytes);
            }
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException("4 or 16 bytes are always an address", ex);
        }
        handler.neighbor(vni, mac, ip);
    }

    /**
     * @return neighbours dropped because the queue was full (approximate under concurrent drops)
     */
    public long drops()
    {
        return (long)DROPS.getOpaque(this);
    }
}
