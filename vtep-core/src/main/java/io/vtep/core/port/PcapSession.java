package io.vtep.core.port;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.vtep.core.nativeio.Libpcap;

/**
 * One open libpcap handle and the calls in progress on it. {@code pcap_close} frees the ring
 * that a {@code pcap_next_ex} of the receiving thread or a {@code pcap_sendpacket} of a pipeline
 * may be using at that moment, so every call enters first and {@link #close} waits until the
 * calls in progress have left. Entering is one uncontended atomic increment: a volatile flag alone
 * could not tell the closer when a caller that read "open" has finished.
 */
final class PcapSession
{
    private static final long CLOSE_WAIT_NANOS = 50_000;

    final Libpcap.Handle handle;
    final long pcap;
    /** libpcap's packet socket, for {@code poll}; closed with the handle. */
    final int selectableFd;
    private final AtomicInteger callsInProgress = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    private PcapSession(final Libpcap.Handle handle, final int selectableFd)
    {
        this.handle = handle;
        this.pcap = handle.address();
        this.selectableFd = selectableFd;
    }

    static PcapSession open(final String device, final int snaplen, final int bufferBytes) throws IOException
    {
        // The read timeout only matters without immediate mode: it bounds a TPACKET_V3 block's wait.
        final Libpcap.Handle handle = Libpcap.open(device, snaplen, bufferBytes, 1);
        try
        {
            return new PcapSession(handle, Libpcap.selectableFd(handle));
        }
        catch (final IOException | RuntimeException ex)
        {
            Libpcap.close(handle);
            throw ex;
        }
    }

    /**
     * @return true when the caller may use the handle until it calls {@link #exit}; false once it
     *     is closing (then the caller must not call exit).
     */
    boolean enter()
    {
        callsInProgress.incrementAndGet();
        if (closed)
        {
            callsInProgress.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit()
    {
        callsInProgress.decrementAndGet();
    }

    boolean isOpen()
    {
        return !closed;
    }

    /** Stops new calls, waits for the ones in progress (a receive waits at most its poll timeout), then closes. */
    void close()
    {
        if (!closing.compareAndSet(false, true))
        {
            return;
        }
        closed = true;
        while (callsInProgress.get() != 0)
        {
            LockSupport.parkNanos(CLOSE_WAIT_NANOS);
        }
        Libpcap.close(handle);
    }
}
