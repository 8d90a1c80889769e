package io.vtep.core.testing;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

import io.vtep.core.underlay.UnderlayTransmitter;

/** An underlay transmitter that records the packets (outer IP header onwards). */
public final class RecordingTransmitter implements UnderlayTransmitter
{
    public final List<byte[]> sent = new ArrayList<>();

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] packet = new byte[length];
        buffer.getBytes(offset, packet);
        sent.add(packet);
        return true;
    }

    @Override
    public void close()
    {
    }
}
