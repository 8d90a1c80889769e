package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vtep.core.port.FrameBatch;
import io.vtep.core.port.FrameOffload;
import io.vtep.metrics.Side;

/**
 * Fuzzes what a host behind an access port controls: the frame, and the offload request its
 * kernel attaches (virtio-net header: partial checksum start and offset, TSO/USO segment size),
 * fed to the {@link AccessPipeline} in a {@link FrameBatch} as the port drivers do.
 *
 * <p>Input ({@link FuzzedDataProvider}): the frame bytes first, then from the end a port, an
 * offload kind and its three fields.
 *
 * <p>Properties: no exception; a frame without offload is counted once, either as a drop before
 * its VNI is known or as received into one; every frame leaves an outcome (a copy sent locally or
 * to a VTEP, a flood, or a drop reason); a segmented super-frame never leaves more
 * segments than {@code length / segment size + 1}.
 *
 * <p>Corpus: src/test/resources/io/vtep/core/pipeline/AccessPipelineFuzzTestInputs/accessFrame/.
 */
class AccessPipelineFuzzTest
{
    /** Reused: a batch holds native memory, too much to take per input. */
    private final FrameBatch frames = new FrameBatch(1, FrameBatch.MAX_FRAME_LENGTH);
    private final FrameBatch superFrames = new FrameBatch(1, FrameBatch.MAX_SUPER_FRAME_LENGTH);

    @FuzzTest(maxDuration = "60s")
    void accessFrame(final FuzzedDataProvider data)
    {
        final boolean secondPort = data.consumeBoolean();
        final int kind = data.consumeInt(0, FrameOffload.UNSUPPORTED);
        final int checksumStart = data.consumeInt(0, 0xFFFF);
        final int checksumOffset = data.consumeInt(0, 0xFFFF);
        final int segmentSize = data.consumeInt(0, 0xFFFF);
        final byte[] frame = data.consumeRemainingAsBytes();
        final boolean offloaded = kind != 0;
        final FrameBatch batch = offloaded ? superFrames : frames;
        batch.clear();
        if (frame.length > batch.maxFrameLength())
        {
            return; // the driver never hands over more than its slot holds (it counts TRUNCATED)
        }
        final FuzzNetwork network = new FuzzNetwork();
        batch.buffer().putBytes(batch.slotFrameOffset(0), frame);
        batch.add(batch.slotFrameOffset(0), frame.length,
            offloaded ? FrameOffload.of(kind, checksumStart, checksumOffset, segmentSize) : FrameOffload.NONE);
        final long dropsBefore = network.globalDrops();
        final long receivedBefore = network.received(Side.ACCESS);
        final long outcomesBefore = network.outcomes();

        (secondPort ? network.fromEth2 : network.fromEth1).process(batch, network.now);
        network.fdb.conductor().doWork();

        final long dropped = network.globalDrops() - dropsBefore;
        final long received = network.received(Side.ACCESS) - receivedBefore;
        if (!offloaded)
        {
            assertEquals(1, dropped + received, "counted once: dropped before its VNI is known, or received into one");
        }
        else
        {
            assertTrue(dropped + received >= 1, "an offloaded frame is dropped or forwarded as one or more segments");
            if (kind == FrameOffload.TCP_SEGMENTS || kind == FrameOffload.UDP_SEGMENTS)
            {
                assertTrue(segmentSize == 0 || received <= frame.length / segmentSize + 1,
                    received + " segments from a " + frame.length + "-byte frame cut at " + segmentSize);
            }
        }
        assertTrue(network.outcomes() - outcomesBefore >= dropped + received, "every frame forwarded is delivered or dropped under a reason");
    }
}
