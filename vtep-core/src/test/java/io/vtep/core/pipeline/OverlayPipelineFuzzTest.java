package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vtep.core.testing.TestNetwork;
import io.vtep.core.underlay.UnderlayReceiver;
import io.vtep.metrics.Side;

/**
 * Fuzzes what an attacker on the underlay controls (RFC 7348 §7: VXLAN has no authentication):
 * the UDP payload of a datagram to port 4789 and its outer source address, fed to the
 * {@link OverlayPipeline} exactly as {@link UnderlayReceiver} does, behind its headroom.
 *
 * <p>Input: byte 0 picks the outer source (a flood-list VTEP, an unknown IPv4 VTEP, vtep's own
 * address, an unknown IPv6 VTEP); the rest is the UDP payload (VXLAN header and inner frame). The
 * payload ends where the buffer ends, so reading a byte past the datagram throws instead of
 * reading the next slot's leftovers.
 *
 * <p>Properties: no exception; each datagram is counted once, either as a drop before its VNI is
 * known or as received into a VNI, and then something says what became of it (a copy sent, a
 * flood, a drop reason); nothing received from the overlay goes back into it (split horizon,
 * RFC 7348 §4.2).
 *
 * <p>Corpus: src/test/resources/io/vtep/core/pipeline/OverlayPipelineFuzzTestInputs/underlayDatagram/,
 * replayed by every build; {@code scripts/fuzz.sh} fuzzes it.
 */
class OverlayPipelineFuzzTest
{
    private static final int UNKNOWN_IPV4 = 0xC633_6409; // 198.51.100.9
    private static final long IPV6_HIGH = 0x2001_0DB8_0000_0000L;

    @FuzzTest(maxDuration = "60s")
    void underlayDatagram(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final FuzzNetwork network = new FuzzNetwork();
        final int length = input.length - 1;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[UnderlayReceiver.HEADROOM + length]);
        buffer.putBytes(UnderlayReceiver.HEADROOM, input, 1, length);
        final long dropsBefore = network.globalDrops();
        final long receivedBefore = network.received(Side.OVERLAY);
        final long outcomesBefore = network.outcomes();

        final OverlayPipeline pipeline = network.fromOverlay;
        switch (input[0] & 3)
        {
            case 0 -> pipeline.onIpv4Datagram(buffer, UnderlayReceiver.HEADROOM, length, TestNetwork.VTEP_B.ipv4(), network.now);
            case 1 -> pipeline.onIpv4Datagram(buffer, UnderlayReceiver.HEADROOM, length, UNKNOWN_IPV4, network.now);
            case 2 -> pipeline.onIpv4Datagram(buffer, UnderlayReceiver.HEADROOM, length, TestNetwork.LOCAL.ipv4(), network.now);
            default -> pipeline.onIpv6Datagram(buffer, UnderlayReceiver.HEADROOM, length, IPV6_HIGH, 9L, network.now);
        }
        network.fdb.conductor().doWork();

        final long dropped = network.globalDrops() - dropsBefore;
        final long received = network.received(Side.OVERLAY) - receivedBefore;
        assertEquals(1, dropped + received, "counted once: dropped before its VNI is known, or received into one");
        assertTrue(network.outcomes() - outcomesBefore >= 1, "delivered, flooded or dropped under a reason");
        assertTrue(network.underlay.sent.isEmpty(), "split horizon: nothing goes back into the overlay");
    }
}
