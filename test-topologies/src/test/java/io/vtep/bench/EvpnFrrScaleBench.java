package io.vtep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.vtep.core.app.VtepAppliance;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.fdb.Origin;
import io.vtep.it.EvpnFrrTopology;
import io.vtep.it.TopologyTest;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;
import io.vtep.topology.FrrPeer;
import io.vtep.topology.FrrRouter;
import io.vtep.topology.Json;
import io.vtep.topology.Netns;
import io.vtep.topology.Requirements;
import io.vtep.topology.Topology;
import io.vtep.topology.Wait;

/**
 * End-to-end EVPN scale measurements against real FRR (Debian's zebra + bgpd driving a Linux
 * kernel VTEP), the figures the issue asks for: time to import and install N type-2 routes
 * advertised by FRR, vtep's retained heap per route, and time to advertise 10k local MACs to FRR.
 * A measured driver, not a test: it prints figures and asserts only that everything arrived,
 * never a timing. Excluded from the normal Surefire run ({@code **}{@code /*Bench.java}); run it with
 *
 * <pre>
 * ./mvnw -B -ntp -o test -pl test-topologies -Dtest=EvpnFrrScaleBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * ({@code -Dbench.routes=N}, {@code -Dbench.macs=M} change the sizes, 100000 and 10000 by default;
 * {@code -Dbench.fdbChunk=100000} inserts FRR's MACs in one {@code bridge -batch} instead of chunks
 * of 10000; {@code -Dbench.timeoutSeconds} bounds each wait for a whole table, 240 by default.)
 *
 * <pre>
 *  h1 ─acc1─ [vtep 192.0.2.1, in this JVM] ─ul0──ul0─ [FRR + kernel VTEP 192.0.2.2, learning off] ─acc0─ h2
 * </pre>
 *
 * <p>FRR's routes come from static bridge FDB entries ({@code bridge -batch}, lines
 * {@code fdb add MAC dev acc0 master static}): zebra takes them as local MACs of the VNI and bgpd
 * advertises them (checked by hand with FRR 8.4: {@code dynamic} entries are advertised too, but
 * age out; zebra ignores {@code permanent} ones). The entries go in as chunks of 10000, each once
 * zebra has counted the previous one: in one run a single 100k batch (6.2 s under load) left zebra
 * with only 84,517 of the MACs, and bgpd advertised only those.
 *
 * <p>FRR's progress is sampled every 200 ms on side threads (zebra's {@code show evpn vni 100 json}
 * numMacs, bgpd's pfxSnt/pfxRcd in {@code show bgp l2vpn evpn summary json}; never the full route
 * table while timing), so FRR's milestones are late by up to that; vtep's FDB is read every 50 ms.
 *
 * <p>vtep runs in-process (its FDB is read directly every 50 ms), so the heap figure is this test
 * JVM's: used heap after repeated {@code System.gc()}, with the routes installed minus before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvpnFrrScaleBench extends TopologyTest
{
    static final int VNI = EvpnFrrTopology.VNI;
    static final String VTEP_IP = EvpnFrrTopology.VTEP_IP;
    static final String FRR_IP = EvpnFrrTopology.FRR_IP;
    static final int ROUTES = Integer.getInteger("bench.routes", 100_000);
    static final int MACS = Integer.getInteger("bench.macs", 10_000);
    static final int FDB_CHUNK = Integer.getInteger("bench.fdbChunk", 10_000);
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    static final Duration BULK_TIMEOUT = Duration.ofSeconds(Integer.getInteger("bench.timeoutSeconds", 240));
    static final long VTEP_POLL_MS = 50;
    static final long FRR_POLL_MS = 200;

    @Override
    protected void requirements()
    {
        Requirements.requireTopology();
        FrrRouter.requireFrr();
    }

    // ------------------------------------------------------------------------------------
    // Topology
    // ------------------------------------------------------------------------------------

    /**
     * The in-process appliance, started with its sockets in {@code netns}. Held through a reference
     * the test clears after a close, so that a stopped appliance is garbage for the heap figures
     * (the topology's teardown closes whatever is current).
     */
    private final AtomicReference<VtepAppliance> current = new AtomicReference<>();

    private VtepAppliance startVtep(final Netns netns) throws Exception
    {
        final var config = ConfigLoader.parse(EvpnFrrTopology.vtepConfig(VTEP_IP, 65000, FRR_IP, 65000));
        final VtepAppliance appliance = NetworkNamespace.call(netns.name(), () -> VtepAppliance.start(config));
        if (current.getAndSet(appliance) == null)
        {
            topology.onClose("in-process vtep in " + netns.name(), () ->
            {
                final VtepAppliance a = current.getAndSet(null);
                if (a != null)
                {
                    a.close();
                }
            });
        }
        return appliance;
    }

    private void stopVtep()
    {
        final VtepAppliance a = current.getAndSet(null);
        if (a != null)
        {
            a.close();
        }
    }

    private static BgpPeer peer(final VtepAppliance appliance)
    {
        try
        {
            return appliance.bgpSpeaker().peer(java.net.InetAddress.getByName(FRR_IP));
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int evpnEntries(final VtepAppliance appliance)
    {
        return appliance.fdb().vni(VNI).entries(Origin.EVPN);
    }

    private static int localEntries(final VtepAppliance appliance)
    {
        return appliance.fdb().vni(VNI).entries(Origin.LOCAL);
    }

    // ------------------------------------------------------------------------------------
    // FRR probes (cheap ones: never the full route table while timing)
    // ------------------------------------------------------------------------------------

    /** zebra's MAC count for the VNI (local and remote), {@code show evpn vni 100 json}. */
    private static long zebraMacs(final FrrRouter frr)
    {
        return ((Number)Json.at(frr.json("show evpn vni " + VNI), "numMacs")).longValue();
    }

    private static FrrPeer frrPeer(final FrrRouter frr)
    {
        final FrrPeer p = frr.bgpSummary().get(VTEP_IP);
        if (p == null)
        {
            throw new IllegalStateException("no neighbor " + VTEP_IP + " in FRR's summary");
        }
        return p;
    }

    /** MACs the kernel's vxlan device sends to vtep: the entries zebra installed (flood entry excluded). */
    private static long kernelMacsBehindVtep(final Netns frrNs)
    {
        final String out = frrNs.execOk(Duration.ofSeconds(30), "sh", "-c",
            "bridge fdb show dev vxlan100 | awk '$1 != \"00:00:00:00:00:00\" && / dst " + VTEP_IP + " / {n++} END {print n+0}'")
            .stdout().strip();
        return Long.parseLong(out);
    }

    /**
     * Polls {@code probe} on a daemon thread every {@code periodMs} and records when it first reached
     * {@code target} (System.nanoTime), so FRR's progress is timed alongside vtep's without
     * slowing the main poll. Probe failures (a busy daemon) count as "not yet".
     */
    private static final class Milestone implements AutoCloseable
    {
        final String what;
        final long target;
        final AtomicLong reachedAt = new AtomicLong();
        final AtomicLong last = new AtomicLong(-1);
        final AtomicReference<String> lastError = new AtomicReference<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;

        Milestone(final String what, final long target, final long periodMs, final LongSupplier probe)
        {
            this.what = what;
            this.target = target;
            this.thread = Thread.ofPlatform().daemon().name("bench-" + what).start(() ->
            {
                while (!stop.get() && reachedAt.get() == 0)
                {
                    try
                    {
                        final long v = probe.getAsLong();
                        last.set(v);
                        if (v >= target)
                        {
                            reachedAt.set(System.nanoTime());
                            return;
                        }
                    }
                    catch (final RuntimeException | AssertionError ex)
                    {
                        lastError.set(ex.toString());
                    }
                    sleep(periodMs);
                }
            });
        }

        /** Waits until reached (or the deadline); the time it was reached, or 0. */
        long await(final long deadlineNanos)
        {
            while (reachedAt.get() == 0 && System.nanoTime() < deadlineNanos && thread.isAlive())
            {
                sleep(20);
            }
            return reachedAt.get();
        }

        String describe(final long t0)
        {
            final long at = reachedAt.get();
            return at == 0 ? "NOT reached (last " + last.get() + " of " + target + (lastError.get() != null ? ", " + lastError.get() : "") + ")" : ms(
                at - t0) + " ms";
        }

        @Override
        public void close()
        {
            stop.set(true);
        }
    }

    /** The topology, FRR and vtep of one measurement, the iBGP session between them up. */
    private record Session(EvpnFrrTopology net, FrrRouter frr, VtepAppliance vtep)
    {
    }

    /** vtep and FRR (iBGP, AS 65000) on a new EVPN topology, once both see the session Established and vtep has FRR's type-3 route. */
    private Session established() throws Exception
    {
        final EvpnFrrTopology net = EvpnFrrTopology.create(topology, false);
        final FrrRouter frr = net.startFrr(topology, 65000, VTEP_IP, 65000);
        final VtepAppliance vtep = startVtep(net.vtepNs());
        frr.awaitEstablished(VTEP_IP, SESSION_TIMEOUT);
        Wait.until(SESSION_TIMEOUT, () -> peer(vtep).isEstablished(), "vtep's session Established");
        Wait.until(Duration.ofSeconds(15), () -> vtep.fdb().vni(VNI).floodList().length == 1, "FRR's type-3 at vtep");
        return new Session(net, frr, vtep);
    }

    // ------------------------------------------------------------------------------------
    // 1. Import N type-2 routes from FRR
    // ------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void importFromFrr() throws Exception
    {
        final int n = ROUTES;
        final Session session = established();
        final FrrRouter frr = session.frr();
        final VtepAppliance vtep = session.vtep();
        sleep(1000); // let the initial exchange settle

        final long zebraBase = zebraMacs(frr);
        final long sentBase = frrPeer(frr).prefixesSent();
        final int evpnBase = evpnEntries(vtep);
        final long heapBefore = settledHeap();

        // N static entries on the access port of FRR's kernel VTEP bridge, in chunks of FDB_CHUNK
        // lines: zebra learns them from netlink notifications, and a single 100k batch overran its
        // netlink socket here (zebra logs "recvmsg overrun" and never sees the lost MACs). The next
        // chunk goes in once zebra has counted the previous one.
        final List<Path> batches = new ArrayList<>();
        for (int from = 0; from < n; from += FDB_CHUNK)
        {
            final int to = Math.min(n, from + FDB_CHUNK);
            final StringBuilder sb = new StringBuilder((to - from) * 48);
            for (int i = from; i < to; i++)
            {
                sb.append("fdb add ").append(mac(0x02, 0x01, i)).append(" dev acc0 master static\n");
            }
            final Path batch = topology.workDir().resolve("fdb-" + from + ".batch");
            Files.writeString(batch, sb);
            batches.add(batch);
        }

        final long batchStart = System.nanoTime();
        final Milestone zebra = new Milestone("zebra-local", zebraBase + n, FRR_POLL_MS, () -> zebraMacs(frr));
        final Milestone bgpSent = new Milestone("bgpd-sent", sentBase + n, FRR_POLL_MS, () -> frrPeer(frr).prefixesSent());
        long inserted = 0;
        for (final Path batch : batches)
        {
            if (inserted > 0 && batches.size() > 1)
            {
                final long expected = zebraBase + inserted;
                Wait.until(Duration.ofSeconds(60), () -> zebraMacs(frr), v -> v >= expected, "zebra counted the previous chunk");
            }
            session.net().frrNs().execOk(Duration.ofSeconds(120), "bridge", "-batch", batch.toString());
            inserted += Math.min(FDB_CHUNK, n - inserted);
        }
        final long t0 = System.nanoTime();

        final long deadline = t0 + BULK_TIMEOUT.toNanos();
        final long installed = pollVtep(() -> evpnEntries(vtep), evpnBase + n, deadline);
        final long zebraAt = zebra.await(deadline);
        final long sentAt = bgpSent.await(deadline);
        zebra.close();
        bgpSent.close();
        vtep.evpn().awaitIdle(30_000);
        final long heapAfter = settledHeap();
        final int evpnNow = evpnEntries(vtep);

        final FrrPeer atFrr = frrPeer(frr);
        final long vtepTransitions = peer(vtep).establishedTransitions();
        final long localAtFrr = displayedPrefixes(frr.vtysh("show bgp l2vpn evpn route type macip"));

        out("== 1. import of %d type-2 routes advertised by FRR (vtep Established before the insert) ==", n);
        out("bridge -batch of %d static FDB entries in %d chunk(s) of %d took %d ms (each chunk after zebra counted the previous)",
            n, batches.size(), FDB_CHUNK, ms(t0 - batchStart));
        out("  (from the first line inserted: vtep had all %s)", installed == 0 ? "-" : ms(installed - batchStart) + " ms");
        out("from the end of the batch:");
        out("  zebra has the %d local MACs        : %s", n, zebra.describe(t0));
        out("  bgpd's pfxSnt to vtep reaches +%d  : %s", n, bgpSent.describe(t0));
        out("  vtep's FDB holds %d evpn entries   : %s", n, installed == 0 ? "NOT reached (" + evpnEntries(vtep) + ")" : ms(installed - t0) + " ms");
        if (installed != 0 && sentAt != 0)
        {
            out("  vtep after bgpd's pfxSnt          : %d ms", ms(installed - sentAt));
        }
        out("vtep retained heap: %.1f MB before, %.1f MB after, %d routes installed -> %d B per route (test JVM heap, G1, max %d MB)",
            heapBefore / 1e6, heapAfter / 1e6, evpnNow - evpnBase, (heapAfter - heapBefore) / Math.max(1, evpnNow - evpnBase),
            Runtime.getRuntime().maxMemory() >> 20);
        zebraOverruns(frr);
        out("FRR: type-2 routes in bgpd's table %d, pfxSnt %d, pfxRcd %d, connections established %d / dropped %d; " +
            "vtep's session came up %d time(s)", localAtFrr, atFrr.prefixesSent(), atFrr.prefixesReceived(),
            atFrr.connectionsEstablished(), atFrr.connectionsDropped(), vtepTransitions);
        out("vtep: %s", routeCounters(vtep));

        assertTrue(installed != 0, () -> "vtep installed only " + evpnEntries(vtep) + " of " + (evpnBase + n) + " evpn entries\n" + frr.vtysh(
            "show bgp l2vpn evpn summary"));
        assertTrue(evpnNow >= evpnBase + n, "all N still installed: " + evpnNow);

        // Restart: a full initial table transfer of the N routes into a fresh vtep.
        stopVtep();
        frr.awaitNotEstablished(VTEP_IP, SESSION_TIMEOUT);
        final long heapBaseline = settledHeap();
        final long restart = System.nanoTime();
        final Milestone resent = new Milestone("bgpd-resent", sentBase + n, FRR_POLL_MS, () -> frrPeer(frr).prefixesSent());
        final VtepAppliance second = startVtep(session.net().vtepNs());
        final long started = System.nanoTime();
        final long established = pollVtep(() -> peer(second).isEstablished() ? 1 : 0, 1, restart + SESSION_TIMEOUT.toNanos());
        final long full = pollVtep(() -> evpnEntries(second), evpnBase + n, restart + BULK_TIMEOUT.toNanos());
        resent.await(restart + BULK_TIMEOUT.toNanos());
        resent.close();
        second.evpn().awaitIdle(30_000);
        final long heapSecond = settledHeap();

        out("== 1b. vtep restarted (close + start): full initial transfer of %d routes ==", n);
        out("  VtepAppliance.start returned     : %d ms", ms(started - restart));
        out("  vtep's session Established       : %s", established == 0 ? "NOT reached" : ms(established - restart) + " ms");
        out("  bgpd's pfxSnt to vtep reaches +%d: %s", n, resent.describe(restart));
        out("  vtep's FDB holds %d evpn entries : %s", n, full == 0 ? "NOT reached (" + evpnEntries(second) + ")" : ms(full - restart) + " ms");
        if (established != 0 && full != 0)
        {
            out("  ... of which after Established  : %d ms", ms(full - established));
        }
        if (resent.reachedAt.get() != 0 && full != 0)
        {
            out("  vtep after bgpd's pfxSnt        : %d ms", ms(full - resent.reachedAt.get()));
        }
        out("vtep retained heap: %.1f MB before start, %.1f MB after -> %d B per route (whole appliance incl. its startup)",
            heapBaseline / 1e6, heapSecond / 1e6, (heapSecond - heapBaseline) / n);
        final FrrPeer afterRestart = frrPeer(frr);
        out("FRR: pfxSnt %d, connections established %d / dropped %d; vtep: %s", afterRestart.prefixesSent(),
            afterRestart.connectionsEstablished(), afterRestart.connectionsDropped(), routeCounters(second));
        assertTrue(full != 0, () -> "restarted vtep installed only " + evpnEntries(second) + " of " + (evpnBase + n));
    }

    // ------------------------------------------------------------------------------------
    // 2. Advertise M local MACs to FRR
    // ------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void advertiseLocalMacsToFrr() throws Exception
    {
        final int m = MACS;
        final Session session = established();
        final EvpnFrrTopology net = session.net();
        final FrrRouter frr = session.frr();
        final VtepAppliance vtep = session.vtep();

        // h1's own MAC first: the burst is unicast to it, so vtep learns every source and drops the
        // frame as same-port (nothing is flooded into the overlay, no ARP for the neighbor snooper).
        final String h1Mac = net.h1().mac();
        final String ownFrame = "ffffffffffff" + h1Mac.replace(":", "") + "88b5" + "00".repeat(46);
        net.h1().scapy("import socket\ns=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\ns.bind(('eth0',0))\n" + "s.send(bytes.fromhex('" +
            ownFrame + "'))");
        Wait.until(Duration.ofSeconds(10), () -> localEntries(vtep) >= 1, "h1's MAC learned");
        Wait.until(Duration.ofSeconds(15), () -> frrPeer(frr).prefixesReceived() >= 2, "h1's MAC route at FRR");
        sleep(1000);

        final long rcdBase = frrPeer(frr).prefixesReceived();
        final long kernelBase = kernelMacsBehindVtep(net.frrNs());
        final int localBase = localEntries(vtep);
        final int slot = vtep.vni(VNI).slot();
        final long rxBase = vtep.counters().vniRxPackets(slot, Side.ACCESS);
        final long samePortBase = vtep.counters().vniDrops(slot, DropReason.SAME_PORT);
        final long queueDropsBase = vtep.fdb().vni(VNI).learnQueueDrops();

        // One burst of M frames from M distinct source MACs, from a raw socket in h1's namespace;
        // paced in chunks so that the access port's 4 MB receive buffer never overflows. Prints
        // CLOCK_MONOTONIC (System.nanoTime's clock) at the first and the last send.
        final int chunk = Integer.getInteger("bench.chunk", 500);
        final double pauseSeconds = Integer.getInteger("bench.pauseMicros", 5000) / 1e6;
        final String script = """
            import socket, time
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind(('eth0', 0))
            dst = bytes.fromhex('%s')
            tail = bytes.fromhex('88b5') + bytes(46)
            frames = [dst + bytes([0x02, 0x10, 0, (i >> 16) & 255, (i >> 8) & 255, i & 255]) + tail for i in range(%d)]
            first = time.monotonic_ns()
            for i, f in enumerate(frames):
                s.send(f)
                if (i + 1) %% %d == 0:
                    time.sleep(%f)
            last = time.monotonic_ns()
            print(first, last)
            """.formatted(h1Mac.replace(":", ""), m, chunk, pauseSeconds);
        final Milestone fdbInKernel = new Milestone("kernel-fdb", kernelBase + m, FRR_POLL_MS, () -> kernelMacsBehindVtep(net.frrNs()));
        final Milestone atFrr = new Milestone("frr-pfxRcd", rcdBase + m, FRR_POLL_MS, () -> frrPeer(frr).prefixesReceived());
        final Milestone learnedAll = new Milestone("vtep-local", localBase + m, VTEP_POLL_MS, () -> localEntries(vtep));
        final String[] stamps = net.h1().scapy(script).stdout().strip().split("\\s+");
        final long firstSent = Long.parseLong(stamps[0]);
        final long lastSent = Long.parseLong(stamps[1]);

        final long deadline = lastSent + BULK_TIMEOUT.toNanos();
        learnedAll.await(lastSent + Duration.ofSeconds(30).toNanos());
        learnedAll.close();
        final long rcdAt = atFrr.await(deadline);
        final long kernelAt = fdbInKernel.await(deadline);
        atFrr.close();
        fdbInKernel.close();
        vtep.evpn().awaitIdle(30_000);

        final long rx = vtep.counters().vniRxPackets(slot, Side.ACCESS) - rxBase;
        final long samePort = vtep.counters().vniDrops(slot, DropReason.SAME_PORT) - samePortBase;
        final long queueDrops = vtep.fdb().vni(VNI).learnQueueDrops() - queueDropsBase;
        final int localNow = localEntries(vtep);
        final FrrPeer peerAtFrr = frrPeer(frr);

        out("== 2. advertise %d local MACs to FRR ==", m);
        out("burst: %d frames in %d ms (%.0f frames/s, chunks of %d, %.1f ms pauses) from a raw socket in h1's namespace",
            m, ms(lastSent - firstSent), m / ((lastSent - firstSent) / 1e9), chunk, pauseSeconds * 1e3);
        out("vtep: access rx %d of %d frames (lost %d before the data path), same-port drops %d, learn-queue drops %d, " + "local FDB entries +%d",
            rx, m, m - rx, samePort, queueDrops, localNow - localBase);
        out("from the last frame sent:");
        out("  vtep's FDB holds %d local entries      : %s", m, learnedAll.describe(lastSent));
        out("  FRR's pfxRcd from vtep reaches +%d     : %s", m, atFrr.describe(lastSent));
        out("  zebra installed %d MACs in the kernel  : %s", m, fdbInKernel.describe(lastSent));
        out("FRR: pfxRcd %d, connections established %d / dropped %d; vtep: %s",
            peerAtFrr.prefixesReceived(), peerAtFrr.connectionsEstablished(), peerAtFrr.connectionsDropped(), routeCounters(vtep));

        assertEquals(m, localNow - localBase, "every source MAC learned on the access port");
        assertTrue(rcdAt != 0, () -> "FRR received only " + atFrr.last.get() + " of " + (rcdBase + m));
        assertTrue(kernelAt != 0, () -> "zebra installed only " + fdbInKernel.last.get() + " of " + (kernelBase + m));
    }

    // ------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------

    /** Polls every 50 ms until {@code probe} reaches {@code target}; the System.nanoTime it did, or 0 at the deadline. */
    private static long pollVtep(final ThrowingLongSupplier probe, final long target, final long deadlineNanos) throws Exception
    {
        while (System.nanoTime() < deadlineNanos)
        {
            final long now = System.nanoTime();
            if (probe.get() >= target)
            {
                return now;
            }
            sleep(VTEP_POLL_MS);
        }
        return 0;
    }

    @FunctionalInterface
    private interface ThrowingLongSupplier
    {
        long get() throws Exception;
    }

    private static String routeCounters(final VtepAppliance vtep)
    {
        final BgpPeer p = peer(vtep);
        return "state " + p.state() + ", up " + p.establishedTransitions() + " time(s), Adj-RIB-In " + vtep.evpn().prefixesReceived(p) +
            " (accepted " + vtep.evpn().prefixesAccepted(p) + "), Adj-RIB-Out " + vtep.evpn().prefixesSent(p) + ", UPDATEs rcvd " + p
                .updatesReceived() + " sent " + p.updatesSent() + ", evpn FDB " + evpnEntries(vtep) + ", local FDB " + localEntries(vtep) + (p
                    .lastError() == null ? "" : ", last error: " + p.lastError());
    }

    /** zebra's complaints about its netlink socket (a lost FDB notification is a MAC it never advertises). */
    private static void zebraOverruns(final FrrRouter frr)
    {
        final List<String> lines = frr.zebra().outputLines().stream()
            .filter(l -> l.contains("overrun") || l.contains("No buffer space")).toList();
        out("zebra netlink overruns logged: %d%s", lines.size(), lines.isEmpty() ? "" : " (first: " + lines.getFirst().strip() + ")");
    }

    /** "Displayed 100001 prefixes (...)" at the end of a vtysh route listing; -1 if absent. */
    private static long displayedPrefixes(final String text)
    {
        final var matcher = java.util.regex.Pattern.compile("Displayed (\\d+) prefixes").matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** Used heap after full GCs, once it stops shrinking. */
    private static long settledHeap()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 8; i++)
        {
            System.gc();
            sleep(200);
            used = memory.getHeapMemoryUsage().getUsed();
            if (i >= 3 && Math.abs(previous - used) < 256 * 1024)
            {
                break;
            }
            previous = used;
        }
        return used;
    }

    /** 02:01:00:xx:xx:xx style: two fixed octets, then the index in the low 32 bits. */
    private static String mac(final int a, final int b, final int index)
    {
        return "%02x:%02x:%02x:%02x:%02x:%02x".formatted(a, b, (index >>> 24) & 0xff, (index >>> 16) & 0xff, (index >>> 8) & 0xff,
            index & 0xff);
    }

    private static long ms(final long nanos)
    {
        return nanos / 1_000_000;
    }

    private static void out(final String format, final Object... args)
    {
        System.out.println("[EvpnFrrScaleBench] " + format.formatted(args));
        System.out.flush();
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
