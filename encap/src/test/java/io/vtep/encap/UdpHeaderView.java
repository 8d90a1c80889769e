package io.vtep.encap;

import static io.vtep.encap.UdpHeader.CHECKSUM_OFFSET;
import static io.vtep.encap.UdpHeader.DESTINATION_PORT_OFFSET;
import static io.vtep.encap.UdpHeader.LENGTH;
import static io.vtep.encap.UdpHeader.LENGTH_OFFSET;
import static io.vtep.encap.UdpHeader.SOURCE_PORT_OFFSET;

import org.agrona.DirectBuffer;

/** A view over a UDP header laid out by {@link UdpHeader} (RFC 768). */
final class UdpHeaderView extends HeaderView<UdpHeaderView>
{
    UdpHeaderView()
    {
        super(LENGTH);
    }

    /**
     * A length field that covers at least the header and no more than the bytes received.
     * The checksum is not checked here.
     *
     * @param buffer holding the datagram.
     * @param offset of the UDP header.
     * @param length bytes available from {@code offset} (the IP payload length).
     * @return true when the header is complete and its length is consistent.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH)
        {
            return false;
        }

        final int udpLength = new UdpHeaderView().wrap(buffer, offset).length();
        return udpLength >= LENGTH && udpLength <= length;
    }

    public int sourcePort()
    {
        return uint16(SOURCE_PORT_OFFSET);
    }

    public UdpHeaderView sourcePort(final int port)
    {
        return uint16(SOURCE_PORT_OFFSET, port);
    }

    public int destinationPort()
    {
        return uint16(DESTINATION_PORT_OFFSET);
    }

    public UdpHeaderView destinationPort(final int port)
    {
        return uint16(DESTINATION_PORT_OFFSET, port);
    }

    /**
     * @return length of header plus payload in bytes.
     */
    public int length()
    {
        return uint16(LENGTH_OFFSET);
    }

    public UdpHeaderView length(final int length)
    {
        return uint16(LENGTH_OFFSET, length);
    }

    /**
     * @return the checksum field; see {@link UdpHeader} for what zero means over IPv4 and IPv6.
     */
    public int checksum()
    {
        return uint16(CHECKSUM_OFFSET);
    }

    public UdpHeaderView checksum(final int checksum)
    {
        return uint16(CHECKSUM_OFFSET, checksum);
    }
}
