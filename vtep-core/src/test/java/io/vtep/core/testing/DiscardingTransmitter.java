package io.vtep.core.testing;

import org.agrona.DirectBuffer;

import io.vtep.core.underlay.UnderlayTransmitter;

/**
 * An underlay transmitter that takes every packet and keeps nothing, for tests that measure the
 * pipeline's own allocation ({@link RecordingTransmitter} allocates a copy per packet).
 */
public final class DiscardingTransmitter implements UnderlayTransmitter
{
    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        return true;
    }

    @Override
    public void close()
    {
    }
}
