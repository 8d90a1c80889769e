package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.encap.VtepAddress;

/**
 * Members of a multicast VNI learned from its group (issue 15, source checks): queued by the data
 * path only until the writer has made the VTEP a member, refreshed in place by whatever it sends in
 * the VNI, aged after the ageing time of silence, and holding the VTEP's index meanwhile.
 */
class GroupMembersTest
{
    private static final long AGEING_SECONDS = 10;
    private static final VtepAddress GROUP = VtepAddress.parse("239.1.1.100");

    private final ManualClock clock = new ManualClock(TimeUnit.HOURS.toNanos(1));
    private final List<String> told = new ArrayList<>();
    private Fdb fdb;
    private VniFdb vni;
    private RemoteVtep peer;

    @BeforeEach
    void build()
    {
        fdb = new Fdb(FdbSettings.defaults().withClock(clock).withAgeingSeconds(AGEING_SECONDS));
        vni = fdb.addVni(100, LearningMode.DATA_PLANE, 0, GROUP);
        fdb.addListener(new FdbListener()
        {
            @Override
            public void onGroupMemberAdded(final int id, final RemoteVtep vtep)
            {
                told.add("+" + id + " " + vtep.address());
            }

            @Override
            public void onGroupMemberRemoved(final int id, final RemoteVtep vtep)
            {
                told.add("-" + id + " " + vtep.address());
            }
        });
        peer = fdb.remoteVteps().internLearned(VtepAddress.parse("198.51.100.2"));
    }

    @Test
    void aSenderToTheGroupBecomesAMemberOnceAndAgesOutAfterSilenceInTheVni()
    {
        vni.groupMemberSeen(peer, false, clock.nanoTime());
        assertEquals(0, fdb.learnQueueDepth(), "unicast from a VTEP that is no member queues nothing");

        for (int i = 0; i < 3; i++)
        {
            vni.groupMemberSeen(peer, true, clock.nanoTime());
        }
        assertEquals(3, fdb.learnQueueDepth(), "to the group: an event each until the writer has run");
        drain();
        assertTrue(vni.isGroupMember(peer));
        assertEquals(1, vni.groupMemberCount());
        assertEquals(List.of("+100 198.51.100.2"), told, "told once");

        vni.groupMemberSeen(peer, true, clock.nanoTime());
        assertEquals(0, fdb.learnQueueDepth(), "a member queues nothing: the rate of events is bounded");

        clock.advanceSeconds(6);
        vni.groupMemberSeen(peer, false, clock.nanoTime()); // its unicast refreshes it in place
        clock.advanceSeconds(6);
        drain();
        assertTrue(vni.isGroupMember(peer), "12 s after it joined, 6 s after it last sent: still a member");

        clock.advanceSeconds(AGEING_SECONDS + 1);
        drain();
        assertFalse(vni.isGroupMember(peer), "silent for the ageing time: aged out");
        assertEquals(0, vni.groupMemberCount());
        assertEquals(List.of("+100 198.51.100.2", "-100 198.51.100.2"), told);
    }

    @Test
    void aLearnedVtepIsKeptWhileItIsAMemberThenItsIndexIsFreed()
    {
        vni.groupMemberSeen(peer, true, clock.nanoTime());
        drain();
        clock.advanceSeconds(8);
        vni.groupMemberSeen(peer, false, clock.nanoTime());
        clock.advanceSeconds(8);
        drain();
        // The VTEP itself has been silent (no MAC learned behind it) for 16 s > the ageing time,
        // but a membership names its index: removing it would let the index be reused under the bit.
        assertTrue(fdb.remoteVteps().contains(peer), "a learned membership keeps the VTEP in the table");

        clock.advanceSeconds(AGEING_SECONDS + 1);
        drain();
        assertFalse(vni.isGroupMember(peer));
        assertFalse(fdb.remoteVteps().contains(peer), "membership gone, nothing behind it: the VTEP ages out too");
        assertEquals(1, fdb.remoteVteps().aged());
    }

    @Test
    void aNewGroupEndsTheMembershipsLearnedFromTheOld()
    {
        vni.groupMemberSeen(peer, true, clock.nanoTime());
        drain();
        fdb.setMulticastGroup(100, VtepAddress.parse("239.1.1.101"));
        assertFalse(vni.isGroupMember(peer));
        assertEquals(List.of("+100 198.51.100.2", "-100 198.51.100.2"), told);
    }

    @Test
    void aVniWithoutAGroupLearnsNoMembers()
    {
        final VniFdb plain = fdb.addVni(200, LearningMode.DATA_PLANE, 0, null);
        plain.groupMemberSeen(peer, true, clock.nanoTime());
        drain();
        assertFalse(plain.isGroupMember(peer));
        assertEquals(List.of(), told);
    }

    private void drain()
    {
        while (fdb.conductor().doWork() > 0)
        {
            // apply queued events, sweep
        }
    }
}
