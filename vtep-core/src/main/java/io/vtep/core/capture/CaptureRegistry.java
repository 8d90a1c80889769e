package io.vtep.core.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.VniContext;

/**
 * Starts and ends captures ({@code GET /api/v1/capture}, {@code vtep capture}): at most
 * {@link #MAX_CAPTURES} at once, each with its own ring, published to the forwarding threads
 * through the VNI's {@link CaptureTap}. A VNI without a capture has no tap, so forwarding pays one
 * load of a null field for it. Keeps the totals for {@code /metrics}.
 */
public final class CaptureRegistry
{
    /** Captures at once: each holds a {@link CaptureSession#RING_BYTES} ring and a connection. */
    public static final int MAX_CAPTURES = 4;

    private final ForwardingTables tables;
    private final int ringBytes;
    private final List<CaptureSession> active = new ArrayList<>();
    private final AtomicLong endedDrops = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();

    public CaptureRegistry(final ForwardingTables tables)
    {
        this(tables, CaptureSession.RING_BYTES);
    }

    /** With a ring size of its own (a power of two): tests. */
    public CaptureRegistry(final ForwardingTables tables, final int ringBytes)
    {
        this.tables = tables;
        this.ringBytes = ringBytes;
    }

    /** Whether the VNI is configured. */
    public boolean hasVni(final int vni)
    {
        return tables.vni(vni) != null;
    }

    /**
     * Starts capturing the VNI's frames.
     *
     * @return the session, or null when {@link #MAX_CAPTURES} run already
     * @throws IllegalArgumentException when the VNI is not configured or the snaplen is out of range
     */
    public synchronized CaptureSession start(final int vni, final int snaplen)
    {
        final VniContext context = tables.vni(vni);
        if (context == null)
        {
            throw new IllegalArgumentException("VNI " + vni + " is not configured");
        }
        if (snaplen < 1 || snaplen > CaptureSession.MAX_SNAPLEN)
        {
            throw new IllegalArgumentException("snaplen " + snaplen + " is out of range 1.." + CaptureSession.MAX_SNAPLEN);
        }
        if (active.size() >= MAX_CAPTURES)
        {
            return null;
        }
        final long clockNow = tables.fdb().clock().nanoTime();
        final Instant now = Instant.now();
        final long epochNow = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        final CaptureSession session = new CaptureSession(vni, snaplen, epochNow - clockNow, ringBytes);
        active.add(session);
        publish(context);
        return session;
    }

    /** Ends a capture: the forwarding threads stop offering it frames; safe to call twice. */
    public synchronized void end(final CaptureSession session)
    {
        if (active.remove(session))
        {
            publish(tables.vni(session.vni()));
            endedDrops.addAndGet(session.drops());
        }
    }

    /** Counts frames a capture wrote to its stream (for {@code vtep_capture_frames_total}). */
    void delivered(final long count)
    {
        frames.addAndGet(count);
    }

    /** The clock the forwarding threads stamp frames with. */
    long clockNanos()
    {
        return tables.fdb().clock().nanoTime();
    }

    ForwardingTables tables()
    {
        return tables;
    }

    /** Captures running now. */
    public synchronized int active()
    {
        return active.size();
    }

    /** Frames all captures, running and ended, dropped because their reader was behind. */
    public synchronized long drops()
    {
        long total = endedDrops.get();
        for (final CaptureSession session : active)
        {
            total += session.drops();
        }
        return total;
    }

    /** Frames all captures wrote to their streams. */
    public long frames()
    {
        return frames.get();
    }

    private void publish(final VniContext context)
    {
        final List<CaptureSession> sessions = new ArrayList<>();
        for (final CaptureSession session : active)
        {
            if (session.vni() == context.vni())
            {
                sessions.add(session);
            }
        }
        context.captureTap(sessions.isEmpty() ? null : new CaptureTap(sessions.toArray(new CaptureSession[0])));
    }
}
