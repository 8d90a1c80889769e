package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.Origin;
import io.vtep.fdb.VniFdb;
import io.vtep.topology.Requirements;
import io.vtep.topology.Wait;

/**
 * Issue 15, failures 1, 2 and 7, as an attacker does them against vtep and a kernel VTEP peer
 * ({@link KernelPeerTopology}): a MAC flood from one access host with the default limits, a table
 * full of spoofed VTEP sources, and one spoofed VXLAN packet carrying a local host's MAC.
 */
class HostileInputTest extends KernelPeerTest
{
    private static final int VNI = KernelPeerTopology.VNI;

    @Override
    protected void requirements()
    {
        Requirements.requireTopology("ping", Requirements.SYSTEM_PYTHON);
    }

    /**
     * 300,000 random source MACs from h1, default {@code mac-limit} and global cap: the VNI stops at
     * its default limit (on the old code it learned them all; with enough of them the writer died of
     * OutOfMemoryError), the refusals are counted, h1 and h2 keep talking, and once the flood has
     * aged out the writer learns again.
     */
    @Test
    void aMacFloodFromOneHostStopsAtTheDefaultLimitAndForwardingGoesOn() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig("fdb: { ageing-seconds: 4 }"));
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> "before the flood\n" + topology.diagnostics());
        final VniFdb fdb = vtep.fdb().vni(VNI);

        // To h1's own MAC: vtep drops each as same_port once h1 is known, so the flood stays on the access side.
        final long started = System.nanoTime();
        HostileSources.macFlood(net.h1.netns(), "eth0", net.h1.mac(), 300_000);
        System.out.printf("MAC flood: 300000 frames sent in %.1f s; VNI %d holds %d learned MACs, %d limit hits, %d queue drops%n",
            (System.nanoTime() - started) / 1e9, VNI, fdb.learnedEntries(), fdb.macLimitHits(), fdb.learnQueueDrops());

        assertEquals(FdbSettings.DEFAULT_MAC_LIMIT, fdb.macLimit(), "the default applies when mac-limit is absent");
        assertTrue(fdb.learnedEntries() <= FdbSettings.DEFAULT_MAC_LIMIT,
            () -> fdb.learnedEntries() + " learned MACs: more than the default limit");
        assertTrue(fdb.macLimitHits() > 100_000, () -> "refusals counted: " + fdb.macLimitHits());
        assertTrue(net.h1.ping("10.0.0.2", 3).allReceived(), () -> "h1 -> h2 during the aftermath\n" + topology.diagnostics());

        // The writer is alive: the flood ages out, and h1 (quiet meanwhile) is learned again.
        Wait.until(Duration.ofSeconds(30), () -> fdb.learnedEntries() == 0, "the flooded MACs age out");
        assertTrue(net.h2.ping("10.0.0.1", 2).allReceived(), "h2 -> h1 after ageing");
        Wait.until(Duration.ofSeconds(5), () -> "local acc1".equals(vtep.entry(VNI, net.h1.mac())), "h1 learned again");
    }

    /**
     * 8,000 VXLAN packets from spoofed underlay sources fill the 4096-entry remote VTEP table; vtep
     * has no flood list here, so the kernel VTEP is a VTEP it must learn. While the table is full it
     * cannot; once the spoofed VTEPs aged out (their MACs age, then they do), it is learned and h2
     * reaches h1. On the old code the table stayed full for good.
     */
    @Test
    void spoofedVtepSourcesAgeOutAndARealVtepIsLearnedAfterwards() throws Exception
    {
        net.vtepNs.sysctl("net.ipv4.conf.all.rp_filter", "0");
        net.vtepNs.sysctl("net.ipv4.conf.ul0.rp_filter", "0");
        final String config = net.vtepConfigWithoutFloodList("fdb: { ageing-seconds: 3 }");
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, config);
        final var vteps = vtep.fdb().remoteVteps();

        HostileSources.spoofedVxlan(net.kernelNs, KernelPeerTopology.VTEP_IP, VNI, HostileSources.ipv4("10.1.0.1"), 8000, null);
        Wait.until(Duration.ofSeconds(10), () -> vteps.size() == vteps.capacity(),
            "spoofed sources fill the remote VTEP table (" + vteps.capacity() + ")");
        System.out.printf("spoofed sources: table full at %d, %d refused%n", vteps.size(), vteps.fullRefusals());
        assertTrue(vteps.fullRefusals() > 0, "a full table is counted");

        final long started = System.nanoTime();
        Wait.until(Duration.ofSeconds(30), () -> net.h2.ping("10.0.0.1", 1).allReceived(),
            "h2 reaches h1 once the spoofed VTEPs aged out");
        System.out.printf("real VTEP learned %.1f s after the spoofing stopped (ageing 3 s); %d VTEPs aged%n",
            (System.nanoTime() - started) / 1e9, vteps.aged());
        assertEquals("remote " + KernelPeerTopology.KERNEL_IP, vtep.entry(VNI, net.h2.mac()));
        assertTrue(vteps.size() < vteps.capacity() / 2, () -> vteps.size() + " VTEPs still in the table");
    }

    /**
     * One VXLAN packet from a spoofed underlay source whose inner source is h1's MAC: h1 stays on its
     * port (the local-move hold) and h2 still reaches it; on the old code h1 moved to the spoofer and
     * h2's traffic to it was dropped as split_horizon until h1 spoke again.
     */
    @Test
    void oneSpoofedVxlanPacketDoesNotMoveALocalHost() throws Exception
    {
        final InProcessVtep vtep = InProcessVtep.start(topology, net.vtepNs, net.vtepConfig(""));
        assertTrue(net.h1.ping("10.0.0.2", 2).allReceived(), () -> "before\n" + topology.diagnostics());
        assertEquals("local acc1", vtep.entry(VNI, net.h1.mac()));

        // From the address of the VNI's member (the kernel VTEP): a source that is not a member is
        // dropped before it can teach anything (accept-from, VniSourceCheckTest); a member, or
        // anyone who spoofs its address, still gets as far as learning, where the hold stops it.
        HostileSources.spoofedVxlan(net.kernelNs, KernelPeerTopology.VTEP_IP, VNI,
            HostileSources.ipv4(KernelPeerTopology.KERNEL_IP), 1, net.h1.mac());
        final VniFdb fdb = vtep.fdb().vni(VNI);
        Wait.until(Duration.ofSeconds(5), () -> fdb.localMovesRefused() == 1, "the spoofed move is refused and counted");
        Thread.sleep(200); // what the writer would do with it has been done

        assertEquals("local acc1", vtep.entry(VNI, net.h1.mac()), "h1 stays on its port");
        assertEquals(Origin.LOCAL, vtep.origin(VNI, net.h1.mac()));
        assertEquals(0, fdb.macMoves());
        assertTrue(net.h2.ping("10.0.0.1", 3).allReceived(), () -> "h2 -> h1 after the spoofed packet\n" + topology.diagnostics());
    }
}
