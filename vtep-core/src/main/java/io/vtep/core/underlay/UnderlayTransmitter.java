package io.vtep.core.underlay;

import org.agrona.DirectBuffer;

/**
 * Sends finished VXLAN packets onto the underlay.
 *
 * <p>The packet handed in starts at the outer IP header and is complete (IP, UDP, VXLAN, inner
 * frame, checksums). The transmitter writes it as is, which is how the per-flow UDP source port
 * (RFC 7348 §5) reaches the wire: a UDP socket bound to one port would stamp its own port on every
 * datagram.
 */
public interface UnderlayTransmitter extends AutoCloseable
{
    /**
     * @param buffer native-memory buffer holding the packet
     * @param offset offset of the outer IP header
     * @param length outer IP header to the end of the inner frame
     * @return true when the kernel took the packet
     */
    boolean send(DirectBuffer buffer, int offset, int length);

    /**
     * Sends every packet of {@code batch} and records for each whether the kernel took it
     * ({@link TransmitBatch#sent(int)}). Drivers that can send several packets in one system call
     * override this; the default sends them one by one.
     */
    default void send(final TransmitBatch batch)
    {
        for (int i = 0, count = batch.count(); i < count; i++)
        {
            final DirectBuffer packet = batch.packet(i);
            batch.sent(i, send(packet, 0, packet.capacity()));
        }
    }

    @Override
    void close();
}
