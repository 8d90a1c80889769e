package io.vtep.benchmarks;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.EvpnUpdates;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.controlplane.EvpnSettings;
import io.vtep.evpn.controlplane.EvpnVniSettings;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.evpn.rib.UpdatePacker;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.PeerConfig;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;

/**
 * A measured driver (not JMH: one op is a whole table, and the memory figure needs a settled heap)
 * for the EVPN control plane ({@code io.vtep.evpn.controlplane}):
 * <ul>
 *   <li><b>import</b>: {@code routes} type-2 routes from 16 remote VTEPs, encoded beforehand into
 *   packed UPDATEs (about 120 routes each, as {@link UpdatePacker} writes them); timed from the
 *   first {@link BgpCodec#decode} to the FDB holding every entry: decode → Adj-RIB-In → Loc-RIB →
 *   MAC mobility → {@code Fdb.putEvpn}.</li>
 *   <li><b>memory per route</b>: used heap after a full GC with the routes imported, minus the same
 *   with the control plane started and nothing imported, divided by {@code routes}. It includes the
 *   FDB entries and the decoded UPDATE objects the paths keep alive.</li>
 *   <li><b>advertise</b>: {@code localMacs} MACs learned on an access port (learn queue + FDB
 *   conductor), timed until the last UPDATE was encoded to octets for one Established iBGP neighbor.</li>
 * </ul>
 * Run: {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * io.vtep.benchmarks.EvpnImportBenchmark [routes] [localMacs] [iterations]}.
 */
public final class EvpnImportBenchmark
{
    private static final long LOCAL_AS = 65000;
    private static final Inet4Address ROUTER_ID = WireFormat.parseIpv4("198.51.100.1");
    private static final int VNI = 100;
    private static final int REMOTE_VTEPS = 16;

    private EvpnImportBenchmark()
    {
    }

    /** A neighbor that encodes what it is sent and counts the octets. */
    static final class CountingPeer implements BgpPeer
    {
        final AtomicLong updates = new AtomicLong();
        final AtomicLong octets = new AtomicLong();
        private final PeerConfig config = new PeerConfig(WireFormat.parseAddress("192.0.2.2"), LOCAL_AS, 179, false, 90, null);

        @Override
        public PeerConfig config()
        {
            return config;
        }

        @Override
        public String state()
        {
            return "Established";
        }

        @Override
        public boolean isEstablished()
        {
            return true;
        }

        @Override
        public boolean isIbgp()
        {
            return true;
        }

        @Override
        public InetAddress remoteRouterId()
        {
            return config.address();
        }

        @Override
        public long establishedSinceMillis()
        {
            return 1;
        }

        @Override
        public void send(final UpdateMessage update)
        {
            octets.addAndGet(BgpCodec.encode(update, CodecContext.FOUR_OCTET_AS).length);
            updates.incrementAndGet();
        }

        @Override
        public long updatesSent()
        {
            return updates.get();
        }

        @Override
        public long establishedTransitions()
        {
            return 1;
        }
    }

    /**
     * @param args routes (100000), local MACs (10000), iterations (5).
     * @throws Exception never, in practice.
     */
    public static void main(final String[] args) throws Exception
    {
        final int routes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int localMacs = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final List<byte[]> wire = encodeRemoteRoutes(routes);
        System.out.printf("%d type-2 routes in %d UPDATEs%n", routes, wire.size());
        for (int i = 1; i <= iterations; i++)
        {
            importOnce(wire, routes, i);
            advertiseOnce(localMacs, i);
        }
    }

    private static void importOnce(final List<byte[]> wire, final int routes, final int iteration)
    {
        final Fdb fdb = fdb();
        final CountingPeer peer = new CountingPeer();
        final EvpnControlPlane evpn = establishedWith(fdb, peer);
        final long before = settledHeap();

        final long start = System.nanoTime();
        for (final byte[] bytes : wire)
        {
            evpn.update(peer, (UpdateMessage)BgpCodec.decode(bytes, CodecContext.FOUR_OCTET_AS));
        }
        evpn.awaitIdle(600_000);
        final long nanos = System.nanoTime() - start;
        final long entries = fdb.vni(VNI).size();
        final long after = settledHeap();
        System.out.printf("import %d: %d routes -> %d FDB entries in %.0f ms (%.2f us/route, %.0f routes/s); retained %.0f B/route%n",
            iteration, routes, entries, nanos / 1e6, nanos / 1e3 / routes, routes / (nanos / 1e9), (after - before) / (double)routes);
        if (entries != routes || evpn.prefixesAccepted(peer) != routes)
        {
            throw new IllegalStateException("imported " + entries + " of " + routes);
        }
        evpn.close();
    }

    private static void advertiseOnce(final int macs, final int iteration)
    {
        final Fdb fdb = fdb();
        final CountingPeer peer = new CountingPeer();
        final EvpnControlPlane evpn = establishedWith(fdb, peer);
        final long updatesBefore = peer.updates.get();
        final long octetsBefore = peer.octets.get();

        final long start = System.nanoTime();
        for (int i = 0; i < macs; i++)
        {
            fdb.vni(VNI).learnLocal(0x0200_0000_0000L + i, 1, fdb.clock().nanoTime());
            if ((i & 1023) == 1023)
            {
                fdb.conductor().doWork();
            }
        }
        fdb.conductor().doWork();
        evpn.awaitIdle(60_000);
        final long nanos = System.nanoTime() - start;
        final long updates = peer.updates.get() - updatesBefore;
        System.out.printf("advertise %d: %d local MACs -> %d UPDATEs, %d octets in %.1f ms (%.2f us/MAC)%n",
            iteration, macs, updates, peer.octets.get() - octetsBefore, nanos / 1e6, nanos / 1e3 / macs);
        if (evpn.prefixesSent(peer) != macs + 1)
        {
            throw new IllegalStateException("sent " + evpn.prefixesSent(peer) + " routes, expected " + (macs + 1));
        }
        evpn.close();
    }

    private static Fdb fdb()
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults().withLearnQueueCapacity(1 << 16));
        fdb.addVni(VNI, LearningMode.EVPN, 0, null);
        return fdb;
    }

    /** A started control plane over {@code fdb} with {@code peer} Established and its first table sent. */
    private static EvpnControlPlane establishedWith(final Fdb fdb, final CountingPeer peer)
    {
        final EvpnControlPlane evpn = new EvpnControlPlane(new EvpnSettings(LOCAL_AS, ROUTER_ID, VtepAddress.of(ROUTER_ID),
            List.of(EvpnVniSettings.auto(VNI)), EvpnSettings.DEFAULT_DUPLICATE_MAX_MOVES, EvpnSettings.DEFAULT_DUPLICATE_WINDOW), fdb);
        evpn.start();
        evpn.established(peer);
        evpn.awaitIdle(60_000);
        return evpn;
    }

    /** The routes 16 remote VTEPs advertise, packed as this VTEP itself would pack them. */
    private static List<byte[]> encodeRemoteRoutes(final int routes)
    {
        final UpdatePacker packer = new UpdatePacker();
        final List<byte[]> wire = new ArrayList<>();
        final int perVtep = (routes + REMOTE_VTEPS - 1) / REMOTE_VTEPS;
        int made = 0;
        for (int v = 0; v < REMOTE_VTEPS && made < routes; v++)
        {
            final Inet4Address vtep = WireFormat.ipv4(0xC633_6402 + v); // 198.51.100.2 ..
            final List<EvpnPath> paths = new ArrayList<>();
            for (int i = 0; i < perVtep && made < routes; i++, made++)
            {
                final MacIpAdvertisementRoute route = MacIpAdvertisementRoute.of(EvpnUpdates.autoRouteDistinguisher(vtep, 1),
                    new EvpnMac(0x0A00_0000_0000L + made), null, VNI);
                paths.add(EvpnPath.local(route, vtep, vtep, List.of(EvpnUpdates.autoRouteTarget(LOCAL_AS, VNI)), VNI, 0, false));
            }
            for (final UpdateMessage update : packer.advertise(paths, EvpnUpdates.PathOptions.ibgp()))
            {
                wire.add(BgpCodec.encode(update, CodecContext.FOUR_OCTET_AS));
            }
        }
        return wire;
    }

    private static long settledHeap()
    {
        final Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++)
        {
            System.gc();
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
