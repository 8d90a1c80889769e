package io.vtep.evpn.codec;

import java.util.Arrays;
import java.util.HexFormat;

import io.netty.buffer.ByteBuf;

/**
 * An immutable run of octets with value semantics: what the codec keeps for anything it does not
 * interpret (unknown attributes, capabilities, NOTIFICATION data, malformed input kept for
 * re-encoding). {@code equals} compares content; {@code toString} is lower-case hex.
 */
public final class Octets
{
    /** No octets. */
    public static final Octets EMPTY = new Octets(new byte[0]);

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Octets(final byte[] bytes)
    {
        this.bytes = bytes;
    }

    /**
     * @param bytes copied.
     * @return the octets.
     */
    public static Octets copyOf(final byte[] bytes)
    {
        return bytes.length == 0 ? EMPTY : new Octets(bytes.clone());
    }

    /**
     * @param values each taken modulo 256, so {@code of(0xff)} works without casts.
     * @return the octets.
     */
    public static Octets of(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes.length == 0 ? EMPTY : new Octets(bytes);
    }

    /**
     * @param hex an even number of hex digits; spaces and colons are ignored.
     * @return the octets.
     */
    public static Octets fromHex(final String hex)
    {
        return copyOf(HEX.parseHex(hex.replace(" ", "").replace(":", "")));
    }

    /**
     * Reads {@code length} octets from the reader index of {@code in}; the caller has checked they
     * are there.
     *
     * @param in     to read from.
     * @param length how many.
     * @return the octets.
     */
    public static Octets read(final ByteBuf in, final int length)
    {
        if (length == 0)
        {
            return EMPTY;
        }
        final byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return new Octets(bytes);
    }

    /** @return how many octets. */
    public int length()
    {
        return bytes.length;
    }

    /** @return whether there are none. */
    public boolean isEmpty()
    {
        return bytes.length == 0;
    }

    /**
     * @param index 0-based.
     * @return the octet at {@code index}, 0..255.
     */
    public int get(final int index)
    {
        return bytes[index] & 0xFF;
    }

    /** @return a copy of the octets. */
    public byte[] toByteArray()
    {
        return bytes.clone();
    }

    /** @param out written at its writer index. */
    public void writeTo(final ByteBuf out)
    {
        out.writeBytes(bytes);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Octets that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString()
    {
        return HEX.formatHex(bytes);
    }
}
