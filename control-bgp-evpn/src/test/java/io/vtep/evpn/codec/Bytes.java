package io.vtep.evpn.codec;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Golden-byte helpers for tests. */
final class Bytes
{
    private Bytes()
    {
    }

    /**
     * @param values each taken modulo 256, so literals need no casts.
     * @return the bytes.
     */
    static byte[] of(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    /**
     * @param parts byte arrays.
     * @return them end to end.
     */
    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * @param count how many.
     * @return {@code count} octets of 0xff: the marker is 16 of them.
     */
    static byte[] ones(final int count)
    {
        final byte[] bytes = new byte[count];
        java.util.Arrays.fill(bytes, (byte)0xFF);
        return bytes;
    }

    /**
     * @param type the message type.
     * @param body the body.
     * @return marker, length, type, body.
     */
    static byte[] message(final int type, final byte[] body)
    {
        final int length = 19 + body.length;
        return concat(ones(16), of(length >>> 8, length, type), body);
    }

    /**
     * @param bytes any.
     * @return lower-case hex.
     */
    static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * @param hex digits, spaces ignored.
     * @return the bytes.
     */
    static byte[] fromHex(final String hex)
    {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("\n", ""));
    }
}
