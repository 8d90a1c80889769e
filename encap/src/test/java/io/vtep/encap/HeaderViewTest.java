package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.ReadOnlyBufferException;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** What every view inherits from {@link HeaderView}: wrap, buffer, offset, read-only views. */
class HeaderViewTest
{
    private static final byte[] PACKET = Bytes.of(
        0x45, 0x00, 0x00, 0x4E, 0x75, 0x29, 0x00, 0x00, 0x40, 0x11, 0x81, 0x72,
        0xC0, 0x00, 0x02, 0x01, 0xC0, 0x00, 0x02, 0x02);

    @Test
    void wrapRepointsTheSameView()
    {
        final UnsafeBuffer first = Bytes.bufferWith(PACKET, 0, 0);
        final UnsafeBuffer second = Bytes.bufferWith(PACKET, 7, 0);
        final Ipv4HeaderView view = new Ipv4HeaderView();

        assertSame(view, view.wrap(first, 0));
        assertSame(first, view.buffer());
        assertEquals(0, view.offset());

        view.wrap(second, 7);
        assertSame(second, view.buffer());
        assertEquals(7, view.offset());
        assertEquals(7 + 20, view.payloadOffset());
        assertEquals(0xC000_0201, view.sourceAddress());
    }

    @Test
    void aReadOnlyBufferGivesAReadOnlyViewWhoseSettersThrow()
    {
        final DirectBuffer readOnly = readOnly(Bytes.bufferWith(PACKET, 0, 20));

        final Ipv4HeaderView ipv4 = new Ipv4HeaderView().wrap(readOnly, 0);
        assertEquals(64, ipv4.ttl());
        assertThrows(ReadOnlyBufferException.class, () -> ipv4.ttl(1));
        assertThrows(ReadOnlyBufferException.class, () -> ipv4.totalLength(1));
        assertThrows(ReadOnlyBufferException.class, () -> ipv4.sourceAddress(1));
        assertThrows(ReadOnlyBufferException.class, ipv4::updateHeaderChecksum);
        assertThrows(ReadOnlyBufferException.class, () -> new Ipv6HeaderView().wrap(readOnly, 0).sourceAddress(1, 2));
        assertThrows(ReadOnlyBufferException.class, () -> new EthernetHeaderView().wrap(readOnly, 0).sourceMac(1));
        assertThrows(ReadOnlyBufferException.class, () -> new UdpHeaderView().wrap(readOnly, 0).checksum(0));
        assertThrows(ReadOnlyBufferException.class, () -> new VxlanHeaderView().wrap(readOnly, 0).vni(1));

        assertArrayEquals(PACKET, Bytes.copy(readOnly, 0, PACKET.length));
    }

    /** A {@link DirectBuffer} that is not a {@code MutableDirectBuffer}, as Agrona has none. */
    private static DirectBuffer readOnly(final UnsafeBuffer backing)
    {
        return (DirectBuffer)Proxy.newProxyInstance(
            HeaderViewTest.class.getClassLoader(),
            new Class<?>[] {DirectBuffer.class},
            (proxy, method, arguments) -> method.invoke(backing, arguments));
    }
}
