package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of the golden messages: whatever the octets, decoding either returns a
 * message that re-encodes to exactly those octets, or throws {@link BgpDecodeException} with a
 * NOTIFICATION; never another exception. The seed is printed; rerun a failure with
 * {@code -Dvtep.seed=N}; more rounds with {@code -Dvtep.rounds=N}.
 */
class RandomMutationTest
{
    private static final int ROUNDS = Integer.getInteger("vtep.rounds", 20_000);

    @Test
    void decodeNeverThrowsAnythingButBgpDecodeExceptionAndWhatDecodesRoundTrips()
    {
        final long seed = Long.getLong("vtep.seed", System.nanoTime());
        System.out.println("RandomMutationTest seed " + seed + " (rerun with -Dvtep.seed=" + seed + ")");
        final Random random = new Random(seed);
        final List<byte[]> seeds = List.of(
            GoldenMessageTest.FRR_OPEN,
            GoldenMessageTest.FRR_TYPE_2_UPDATE,
            GoldenMessageTest.FRR_TYPE_3_UPDATE,
            BgpCodec.encode(GoldenMessageTest.frrType3Update(), CodecContext.FOUR_OCTET_AS),
            BgpCodec.encode(EvpnUpdates.endOfRib(), CodecContext.FOUR_OCTET_AS),
            BgpCodec.encode(NotificationMessage.of(ErrorSubcode.HARD_RESET, Octets.of(6, 4)), CodecContext.FOUR_OCTET_AS),
            BgpCodec.encode(RouteRefreshMessage.of(AddressFamily.L2VPN_EVPN, 0), CodecContext.FOUR_OCTET_AS));
        int decoded = 0;
        int reset = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final byte[] mutated = mutate(seeds.get(random.nextInt(seeds.size())), random);
            final CodecContext context = random.nextBoolean() ? CodecContext.FOUR_OCTET_AS : CodecContext.TWO_OCTET_AS;
            try
            {
                // As a reader would: frame first, then decode the frame if it is all there.
                final int frame = BgpCodec.frameLength(io.netty.buffer.Unpooled.wrappedBuffer(mutated), context);
                if (frame > mutated.length)
                {
                    continue;
                }
                final byte[] message = Arrays.copyOf(mutated, frame);
                final BgpMessage result = BgpCodec.decode(message, context);
                decoded++;
                assertEquals(hex(message), hex(BgpCodec.encode(result, context)), "seed " + seed + " round " + round + ": " + result);
                assertEquals(result, BgpCodec.decode(BgpCodec.encode(result, context), context), "seed " + seed + " round " + round);
            }
            catch (final BgpDecodeException ex)
            {
                reset++;
            }
            catch (final RuntimeException ex)
            {
                fail("seed " + seed + " round " + round + ": " + hex(mutated) + " threw " + ex, ex);
            }
        }
        System.out.println("RandomMutationTest: " + decoded + " decoded and round-tripped, " + reset + " session resets");
    }

    private static byte[] mutate(final byte[] original, final Random random)
    {
        byte[] bytes = original.clone();
        final int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++)
        {
            final int position = BgpCodec.HEADER_LENGTH + random.nextInt(Math.max(1, bytes.length - BgpCodec.HEADER_LENGTH));
            switch (random.nextInt(5))
            {
                case 0 -> bytes[Math.min(position, bytes.length - 1)] ^= (byte)(1 << random.nextInt(8));
                case 1 -> bytes[Math.min(position, bytes.length - 1)] = (byte)random.nextInt(256);
                case 2 -> bytes = Arrays.copyOf(bytes, Math.max(BgpCodec.HEADER_LENGTH, position));
                case 3 ->
                {
                    final byte[] longer = new byte[bytes.length + 1];
                    final int at = Math.min(position, bytes.length);
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte)random.nextInt(256);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
                default -> bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
            }
        }
        if (random.nextInt(10) != 0)
        {
            // Usually keep the header truthful so the mutation reaches the body.
            bytes[16] = (byte)(bytes.length >>> 8);
            bytes[17] = (byte)bytes.length;
        }
        return bytes;
    }
}
