package io.vtep.evpn.codec;

import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** The octets an encoder writes, for comparison with golden ones. */
final class Encoded
{
    private Encoded()
    {
    }

    static byte[] bytes(final Consumer<ByteBuf> encoder)
    {
        final ByteBuf out = Unpooled.buffer();
        try
        {
            encoder.accept(out);
            return ByteBufUtil.getBytes(out);
        }
        finally
        {
            out.release();
        }
    }
}
