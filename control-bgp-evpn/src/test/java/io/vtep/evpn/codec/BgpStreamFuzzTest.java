package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vtep.evpn.codec.nlri.EvpnRoute;

/**
 * Fuzzes what a configured BGP neighbor (or anyone who reaches port 179 with its address) controls:
 * the octets of the TCP stream, read as the session's frame decoder reads them
 * ({@code BgpFrameDecoder}: {@link BgpCodec#frameLength}, then {@link BgpCodec#decode}) until the
 * stream ends or a message resets the session. Every decoded message is then taken apart as the
 * EVPN control plane does (RFC 7606 action, advertised and withdrawn EVPN routes of RFC 7432 §7,
 * End-of-RIB).
 *
 * <p>Input: byte 0 picks the session's encoding (bit 0: four-octet AS numbers, RFC 6793; bit 1:
 * extended messages, RFC 8654); the rest is the stream.
 *
 * <p>Properties: nothing but {@link BgpDecodeException} (which carries the NOTIFICATION to send)
 * is thrown, and every message that decodes re-encodes to exactly its octets and decodes again to
 * an equal message (the codec's promise, see {@code RandomMutationTest}).
 *
 * <p>Corpus: src/test/resources/io/vtep/evpn/codec/BgpStreamFuzzTestInputs/bgpStream/, seeded
 * with the FRR session of testdata/captures/frr-evpn-ibgp.pcap and the golden messages.
 */
class BgpStreamFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void bgpStream(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        CodecContext context = (input[0] & 1) != 0 ? CodecContext.FOUR_OCTET_AS : CodecContext.TWO_OCTET_AS;
        if ((input[0] & 2) != 0)
        {
            context = context.withExtendedMessages();
        }
        final ByteBuf stream = Unpooled.wrappedBuffer(input, 1, input.length - 1);
        try
        {
            int length;
            while ((length = BgpCodec.frameLength(stream, context)) >= 0 && stream.readableBytes() >= length)
            {
                final byte[] octets = new byte[length];
                stream.getBytes(stream.readerIndex(), octets);
                final BgpMessage message = BgpCodec.decode(stream, context);
                takeApart(message);
                final byte[] encoded = BgpCodec.encode(message, context);
                if (!Arrays.equals(octets, encoded))
                {
                    assertEquals(hex(octets), hex(encoded), "re-encoded " + message);
                }
                assertEquals(message, BgpCodec.decode(encoded, context), "decoded again");
            }
        }
        catch (final BgpDecodeException reset)
        {
            // the session sends reset.code()/subcode() in a NOTIFICATION and closes: an expected outcome
            assertNotNull(reset.errorSubcode(), "a reset names its NOTIFICATION");
        }
    }

    /** What the control plane reads of a message (EvpnControlPlane, PeerEvents). */
    private static void takeApart(final BgpMessage message)
    {
        assertNotNull(message.toString());
        if (message instanceof final UpdateMessage update)
        {
            assertNotNull(update.action());
            update.endOfRib();
            update.effectivePathAttributes();
            for (final EvpnRoute route : update.withdrawnEvpnRoutes())
            {
                assertNotNull(route.key(), route.toString());
            }
            for (final EvpnRoute route : update.advertisedEvpnRoutes())
            {
                assertNotNull(route.key(), route.toString());
            }
        }
    }
}
