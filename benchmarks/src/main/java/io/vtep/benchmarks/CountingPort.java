package io.vtep.benchmarks;

import org.agrona.DirectBuffer;

import io.vtep.core.port.AccessPort;
import io.vtep.core.port.FrameBatch;

/** An access port that receives nothing and only counts what it is asked to send; allocation-free. */
final class CountingPort implements AccessPort
{
    private final String name;
    long frames;
    long bytes;

    CountingPort(final String name)
    {
        this.name = name;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int receive(final FrameBatch batch, final int timeoutMillis)
    {
        batch.clear();
        return 0;
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        frames++;
        bytes += length;
        return true;
    }

    @Override
    public void close()
    {
    }
}
