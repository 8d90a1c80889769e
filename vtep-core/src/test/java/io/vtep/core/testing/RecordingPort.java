package io.vtep.core.testing;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

/** An access port that records what is sent to it. */
public final class RecordingPort extends SendOnlyPort
{
    public final List<byte[]> sent = new ArrayList<>();
    /** When set, every send fails, as when the kernel refuses (EAGAIN, ENOBUFS, interface down). */
    public boolean refuse;

    public RecordingPort(final String name)
    {
        super(name);
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (refuse)
        {
            return false;
        }
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        sent.add(frame);
        return true;
    }
}
