package io.vtep.core.capture;

import org.agrona.DirectBuffer;

import io.vtep.encap.VtepAddress;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.RemoteVtepTable;

/**
 * The captures running on one VNI, as the forwarding threads see them: an immutable set, replaced
 * whole (copy on write) when a capture starts or ends, and published in the VNI's
 * {@code VniContext}. The pipelines call it only when a capture runs; it copies the frame into
 * each capture's ring, allocation-free.
 */
public final class CaptureTap
{
    private final CaptureSession[] sessions;

    CaptureTap(final CaptureSession[] sessions)
    {
        this.sessions = sessions.clone();
    }

    /**
     * A frame from an access port, once the VNI has decided where it goes.
     *
     * @param fromAttachment the attachment it came in on
     * @param entry          the FDB entry of its destination ({@link FdbEntry#NONE}: flooded)
     */
    public void fromAccess(final DirectBuffer buffer, final int offset, final int length, final long nowNanos,
        final int fromAttachment, final long entry, final RemoteVtepTable remoteVteps)
    {
        int to = CaptureRecord.TO_FLOOD;
        VtepAddress vtep = null;
        if (entry != FdbEntry.NONE)
        {
            if (FdbEntry.isRemote(entry))
            {
                to = CaptureRecord.TO_VTEP;
                final RemoteVtep remote = remoteVteps.byIndex(FdbEntry.vtepIndex(entry));
                vtep = remote == null ? null : remote.address();
            }
            else
            {
                to = FdbEntry.attachment(entry);
            }
        }
        for (final CaptureSession session : sessions)
        {
            session.offer(buffer, offset, length, nowNanos, CaptureRecord.FROM_ACCESS, fromAttachment, to, vtep);
        }
    }

    /**
     * A frame from the overlay (the inner frame of a VXLAN packet), once the VNI has accepted it.
     *
     * @param sourceOrNull the VTEP it came from (null when the remote VTEP table had no room for it)
     * @param entry        the FDB entry of its destination ({@link FdbEntry#NONE}: flooded)
     */
    public void fromOverlay(final DirectBuffer buffer, final int offset, final int length, final long nowNanos,
        final RemoteVtep sourceOrNull, final long entry)
    {
        final int to = entry == FdbEntry.NONE ? CaptureRecord.TO_FLOOD :
            FdbEntry.isRemote(entry) ? CaptureRecord.TO_SPLIT_HORIZON : FdbEntry.attachment(entry);
        final VtepAddress vtep = sourceOrNull == null ? null : sourceOrNull.address();
        for (final CaptureSession session : sessions)
        {
            session.offer(buffer, offset, length, nowNanos, CaptureRecord.FROM_OVERLAY, -1, to, vtep);
        }
    }
}
