package io.vtep.evpn.session;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import io.vtep.evpn.codec.RouteRefreshMessage;
import io.vtep.evpn.codec.UpdateMessage;

/** PeerEvents that remembers every call, for tests; also a RouteRefreshListener. */
final class RecordingEvents implements PeerEvents, RouteRefreshListener
{
    /** One call. */
    record Call(String kind, BgpPeer peer, UpdateMessage update, String reason, String thread)
    {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public void established(final BgpPeer peer)
    {
        calls.add(new Call("established", peer, null, null, Thread.currentThread().getName()));
    }

    @Override
    public void update(final BgpPeer peer, final UpdateMessage update)
    {
        calls.add(new Call("update", peer, update, null, Thread.currentThread().getName()));
    }

    @Override
    public void down(final BgpPeer peer, final String reason)
    {
        calls.add(new Call("down", peer, null, reason, Thread.currentThread().getName()));
    }

    @Override
    public void routeRefresh(final BgpPeer peer, final RouteRefreshMessage request)
    {
        calls.add(new Call("refresh", peer, null, null, Thread.currentThread().getName()));
    }

    List<Call> of(final String kind, final BgpPeer peer)
    {
        return calls.stream().filter(c -> c.kind().equals(kind) && c.peer() == peer).toList();
    }

    Call await(final String kind, final BgpPeer peer, final Duration timeout)
    {
        awaitTrue(timeout, () -> !of(kind, peer).isEmpty(), kind + " for " + peer + "; calls so far: " + calls);
        return of(kind, peer).getFirst();
    }

    static void awaitTrue(final Duration timeout, final BooleanSupplier condition, final String what)
    {
        try
        {
            if (!becomesTrue(timeout, condition))
            {
                fail("timed out after " + timeout + " waiting for " + what);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        }
    }

    /** @return whether {@code condition} held within {@code timeout} (polled every 20 ms); for a test that expects either. */
    static boolean becomesTrue(final Duration timeout, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
