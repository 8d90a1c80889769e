package io.vtep.benchmarks;

import org.agrona.DirectBuffer;

import io.vtep.core.underlay.UnderlayTransmitter;

/** An underlay that only counts the packets it is given; allocation-free. */
final class CountingTransmitter implements UnderlayTransmitter
{
    long packets;
    long bytes;

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        packets++;
        bytes += length;
        return true;
    }

    @Override
    public void close()
    {
    }
}
