package io.vtep.core.testing;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.underlay.SegmentTransmitter;
import io.vtep.encap.VtepAddress;

/** A segment transmitter that records each GSO datagram; ready for every port unless told otherwise. */
public class RecordingSegmentTransmitter implements SegmentTransmitter
{
    /** One recorded send: the segments back to back, as handed in. */
    public record Datagram(VtepAddress remote, int sourcePort, byte[] payload, int segmentSize)
    {
    }

    public final List<Datagram> sent = new ArrayList<>();
    public boolean ready = true;

    @Override
    public boolean ready(final int sourcePort)
    {
        return ready;
    }

    @Override
    public Scratch newScratch()
    {
        return new Scratch()
        {
        };
    }

    @Override
    public boolean send(final Scratch scratch, final VtepAddress remote, final int sourcePort, final long address,
        final int length, final int segmentSize)
    {
        final byte[] payload = new byte[length];
        new UnsafeBuffer(address, length).getBytes(0, payload);
        sent.add(new Datagram(remote, sourcePort, payload, segmentSize));
        return true;
    }

    @Override
    public void close()
    {
    }
}
