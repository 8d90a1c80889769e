package io.vtep.core.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.vtep.core.port.FrameBatch;

/**
 * What the pipelines are handed in tests, laid out as a port or the underlay receiver hands it:
 * an access frame in a batch slot (with the slot's headroom in front), and a VXLAN UDP payload in
 * native memory with room for outer headers in front of it.
 */
public final class PipelineInput
{
    /** Where {@link #vxlanPayload} puts the VXLAN header: room for the outer headers before it. */
    public static final int VXLAN_OFFSET = 32;
    /** The VXLAN header's length (RFC 7348 §5); the inner frame follows it. */
    public static final int VXLAN_LENGTH = 8;
    /** The I flag alone: a valid VNI (RFC 7348 §5). */
    public static final int FLAG_I = 0x08;

    private PipelineInput()
    {
    }

    /** A new batch holding {@code frame} alone. */
    public static FrameBatch batchOf(final byte[] frame)
    {
        final FrameBatch batch = new FrameBatch(1);
        refill(batch, frame);
        return batch;
    }

    /** Empties {@code batch} and puts {@code frame} in its first slot; allocates nothing. */
    public static void refill(final FrameBatch batch, final byte[] frame)
    {
        batch.clear();
        batch.buffer().putBytes(batch.slotFrameOffset(0), frame);
        batch.add(batch.slotFrameOffset(0), frame.length);
    }

    /**
     * A native buffer holding a VXLAN header and {@code inner} at {@link #VXLAN_OFFSET}, with 64
     * spare bytes after it.
     */
    public static UnsafeBuffer vxlanPayload(final int flags, final int vni, final byte[] inner)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(VXLAN_OFFSET + VXLAN_LENGTH + inner.length + 64));
        putVxlan(buffer, VXLAN_OFFSET, flags, vni, inner);
        return buffer;
    }

    /**
     * Writes a VXLAN header (flags, zero reserved fields, the 24-bit VNI) and the inner frame at
     * {@code offset}; allocates nothing.
     *
     * @return the UDP payload's length, header and inner frame.
     */
    public static int putVxlan(
        final MutableDirectBuffer buffer, final int offset, final int flags, final int vni, final byte[] inner)
    {
        buffer.putInt(offset, (flags & 0xFF) << 24, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 4, vni << 8, ByteOrder.BIG_ENDIAN);
        buffer.putBytes(offset + VXLAN_LENGTH, inner);
        return VXLAN_LENGTH + inner.length;
    }
}
