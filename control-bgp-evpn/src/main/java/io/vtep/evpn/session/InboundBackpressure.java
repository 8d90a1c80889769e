package io.vtep.evpn.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the UPDATEs of one neighbor that the session has handed to the RIB and the RIB has not
 * finished yet (issue 15, failure 3: a peer sending faster than the RIB imports grew that hand-off
 * without limit). At {@link #HIGH} outstanding the session stops reading its connection (Netty
 * {@code autoRead} off), so the peer's routes wait in TCP buffers, then in the peer: TCP flow
 * control is the backpressure. It reads again once the RIB is down to {@link #LOW}.
 *
 * <p>{@link #handedOver} runs on the speaker's event loop, {@link #consumed} on the RIB's thread.
 * What is outstanding can exceed {@link #HIGH} only by the messages of the read that was under way
 * when reading stopped (at most one socket read's worth, decoded).
 */
final class InboundBackpressure
{
    /** An UPDATE is at most 4096 octets, so at most 512 KiB of wire data (a few MB decoded) wait for the RIB per neighbor. */
    static final int HIGH = 128;
    static final int LOW = 32;

    private final AtomicInteger outstanding = new AtomicInteger();

    /** @return true when reading must stop: {@link #HIGH} or more are outstanding. */
    boolean handedOver()
    {
        return outstanding.incrementAndGet() >= HIGH;
    }

    /** @return true when this one brought the outstanding count down to {@link #LOW}: reading may resume. */
    boolean consumed()
    {
        return outstanding.decrementAndGet() == LOW;
    }

    /** @return whether few enough are outstanding to read again. */
    boolean drained()
    {
        return outstanding.get() <= LOW;
    }

    int outstanding()
    {
        return outstanding.get();
    }
}
