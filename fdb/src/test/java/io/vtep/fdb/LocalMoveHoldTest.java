package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/**
 * Issue 15, failure 7: one spoofed VXLAN packet whose inner source is a local host's MAC must not
 * move that host to the spoofer. Only API that predates the hold is used, so these tests show the
 * failure on the old code (there the MAC moved on the first packet).
 */
class LocalMoveHoldTest
{
    private static final long H1 = MacAddress.parse("02:00:00:00:00:01");
    private static final int PORT = 7;

    private final ManualClock clock = new ManualClock(TimeUnit.HOURS.toNanos(1));
    private Fdb fdb;
    private VniFdb vni;
    private RemoteVtep spoofer;

    @BeforeEach
    void setUp()
    {
        fdb = new Fdb(FdbSettings.defaults().withClock(clock));
        vni = fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        spoofer = fdb.remoteVteps().intern(VtepAddress.parse("198.51.100.66"));
        vni.learnLocal(H1, PORT, clock.nanoTime());
        drain();
    }

    @Test
    void oneSpoofedPacketDoesNotMoveAHostThatSpokeWithinTheHold()
    {
        clock.advanceSeconds(2); // h1 spoke 2 s ago
        vni.learnRemote(H1, spoofer, clock.nanoTime());
        drain();

        assertEquals(FdbEntry.local(PORT, Origin.LOCAL), vni.lookup(H1), "h1 stays on its port");
        assertEquals(0, vni.macMoves());
    }

    @Test
    void aLearnEventQueuedBeforeTheHostSpokeAgainIsRefusedByTheWriterToo()
    {
        clock.advanceSeconds(6);
        vni.learnRemote(H1, spoofer, clock.nanoTime()); // past the hold: queued
        vni.learnLocal(H1, PORT, clock.nanoTime());    // h1 refreshes in place before the writer runs
        drain();

        assertEquals(FdbEntry.local(PORT, Origin.LOCAL), vni.lookup(H1));
    }

    @Test
    void aHostThatWentQuietLongerThanTheHoldMoves()
    {
        clock.advanceSeconds(6); // a migrated VM: silent on the port since it left
        vni.learnRemote(H1, spoofer, clock.nanoTime());
        drain();

        assertEquals(FdbEntry.remote(spoofer.index(), Origin.REMOTE), vni.lookup(H1), "a genuine move succeeds");
        assertEquals(1, vni.macMoves());
    }

    @Test
    void aRemoteMacMovesBetweenVtepsAndToALocalPortAtOnce()
    {
        final long h2 = MacAddress.parse("02:00:00:00:00:02");
        final RemoteVtep other = fdb.remoteVteps().intern(VtepAddress.parse("198.51.100.2"));
        vni.learnRemote(h2, other, clock.nanoTime());
        drain();
        vni.learnRemote(h2, spoofer, clock.nanoTime());
        drain();
        assertEquals(FdbEntry.remote(spoofer.index(), Origin.REMOTE), vni.lookup(h2), "the hold guards local MACs only");

        vni.learnLocal(h2, PORT, clock.nanoTime());
        drain();
        assertEquals(FdbEntry.local(PORT, Origin.LOCAL), vni.lookup(h2));
    }

    private void drain()
    {
        while (fdb.conductor().doWork() > 0)
        {
            // apply queued learn events
        }
    }
}
