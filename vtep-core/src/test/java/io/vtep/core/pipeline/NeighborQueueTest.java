package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The neighbour queue's record format, order, limits and drops. */
class NeighborQueueTest
{
    @Test
    void neighboursComeOutInOrderAsAddresses() throws Exception
    {
        final NeighborQueue queue = new NeighborQueue(16);
        queue.offerIpv4(100, 0x0200_0000_0001L, 0x0A00_0001);
        queue.offerIpv6(16_777_215, 0x0200_0000_0002L, 0x2001_0DB8_0000_0000L, 0x0000_0000_0000_0002L);
        assertEquals(2, queue.depth());

        final List<String> seen = new ArrayList<>();
        assertEquals(2, queue.drain((vni, mac, ip) -> seen.add(vni + " " + Long.toHexString(mac) + " " + ip.getHostAddress()), 10));

        assertEquals(List.of("100 20000000001 10.0.0.1", "16777215 20000000002 2001:db8:0:0:0:0:0:2"), seen);
        assertEquals(0, queue.depth());
        assertEquals(InetAddress.getByName("2001:db8::2").getHostAddress(), "2001:db8:0:0:0:0:0:2");
    }

    @Test
    void drainHandsOverAtMostTheLimit()
    {
        final NeighborQueue queue = new NeighborQueue(16);
        for (int i = 0; i < 5; i++)
        {
            queue.offerIpv4(1, i + 1, i + 1);
        }
        assertEquals(3, queue.drain((vni, mac, ip) ->
        {}, 3));
        assertEquals(2, queue.drain((vni, mac, ip) ->
        {}, 3));
    }

    @Test
    void capacityIsAPowerOfTwoOfAtLeastEightAndFullMeansDropped()
    {
        final NeighborQueue queue = new NeighborQueue(5);
        assertEquals(8, queue.capacity());
        for (int i = 0; i < 8; i++)
        {
            assertEquals(true, queue.offerIpv4(1, 2, i + 1));
        }
        assertEquals(false, queue.offerIpv6(1, 2, 1, 1));
        assertEquals(1, queue.drops());
        assertThrows(IllegalArgumentException.class, () -> new NeighborQueue(0));
    }

    /**
     * The queue's shared wake-up (RecordQueue, "The wake-up"): a consumer that said it was idle is
     * woken once however many offers follow, a busy one never. (The EVPN hand-off chooses not to
     * register: NeighborHandOff, "Why it does not ask to be woken".)
     */
    @Test
    void anOfferWakesAnIdleConsumerOnceAndABusyOneNever()
    {
        final NeighborQueue queue = new NeighborQueue(16);
        queue.consumer(Thread.currentThread());
        queue.offerIpv4(100, 0x0200_0000_0001L, 0x0A00_0001);
        assertEquals(0, queue.wakeUps(), "the consumer never said it was idle");

        queue.consumerIdle();
        queue.offerIpv4(100, 0x0200_0000_0002L, 0x0A00_0002);
        queue.offerIpv6(100, 0x0200_0000_0003L, 0x2001_0DB8_0000_0000L, 3L);
        assertEquals(1, queue.wakeUps(), "one wake-up for an idle consumer, however many offers");
        assertEquals(3, queue.drain((vni, mac, ip) ->
        {}, 10));
        queue.consumer(null);
    }
}
