package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Helpers for golden byte arrays in tests. */
final class Bytes
{
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private Bytes()
    {
    }

    /** Bytes written as ints so golden arrays need no casts. */
    static byte[] of(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] < 0 || values[i] > 0xFF)
            {
                throw new IllegalArgumentException("not a byte at index " + i + ": " + values[i]);
            }
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] all = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** A buffer holding {@code bytes} at {@code offset}, with {@code tail} spare bytes after. */
    static UnsafeBuffer bufferWith(final byte[] bytes, final int offset, final int tail)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + bytes.length + tail]);
        buffer.putBytes(offset, bytes);
        return buffer;
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    static String hex(final byte[] bytes)
    {
        return HEX.formatHex(bytes);
    }

    /** Compares as hex text so a failure shows both sides byte by byte. */
    static void assertBytes(final byte[] expected, final DirectBuffer actual, final int offset)
    {
        assertEquals(hex(expected), hex(copy(actual, offset, expected.length)));
    }
}
