package io.vtep.core.api;

import java.util.concurrent.atomic.AtomicLong;

import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.testing.RecordingPort;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DataPathCounters;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * A small appliance state for API tests, built from the real FDB, tables and counters:
 * port acc1 untagged → VNI 100 and VLAN 10 → VNI 200, port acc2 untagged → VNI 100;
 * VNI 100 floods to 192.0.2.2, VNI 200 to group 239.1.1.200 (EVPN learning, limit 64).
 * FDB: 02:..:01 local on acc1 (3 s old), 02:..:02 local on acc1 VLAN 10 (1 s), 02:..:0b remote
 * from 192.0.2.2 (12 s), 02:..:09 static to 198.51.100.3. Counters: a handful, see {@link #build}.
 */
final class ApiFixture
{
    static final long SECOND = 1_000_000_000L;

    final AtomicLong now = new AtomicLong(1_000 * SECOND);
    final Fdb fdb = new Fdb(FdbSettings.defaults().withClock(now::get));
    final ForwardingTables tables = new ForwardingTables(fdb);
    final CounterSnapshotSource counters = new CounterSnapshotSource(new CounterLayout(2, 16));
    String notReady;

    ApiFixture()
    {
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(200, LearningMode.EVPN, 64, VtepAddress.parse("239.1.1.200"));
        final RemoteVtep peer = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2"));
        final RemoteVtep other = fdb.remoteVteps().intern(VtepAddress.parse("198.51.100.3"));
        fdb.setFloodList(100, new RemoteVtep[] {peer});
        final VniContext vni100 = tables.addVni(100);
        final VniContext vni200 = tables.addVni(200);
        final PortContext acc1 = tables.addPort(new RecordingPort("acc1"));
        final PortContext acc2 = tables.addPort(new RecordingPort("acc2"));
        // acc2's interface was deleted (acc1 is not followed: no link, reported up)
        final io.vtep.core.port.PortLink acc2Link = new io.vtep.core.port.PortLink("acc2", 5);
        acc2Link.observe(0, false);
        acc2.link(acc2Link);
        final Attachment acc1Untagged = tables.attach(acc1, Attachment.UNTAGGED, vni100);
        final Attachment acc1Vlan10 = tables.attach(acc1, 10, vni200);
        tables.attach(acc2, Attachment.UNTAGGED, vni100);

        fdb.vni(100).learnRemote(MacAddress.parse("02:00:00:00:00:0b"), peer, now.get());
        now.addAndGet(9 * SECOND);
        fdb.vni(100).learnLocal(MacAddress.parse("02:00:00:00:00:01"), acc1Untagged.id(), now.get());
        now.addAndGet(2 * SECOND);
        fdb.vni(200).learnLocal(MacAddress.parse("02:00:00:00:00:02"), acc1Vlan10.id(), now.get());
        fdb.conductor().doWork();
        fdb.addStatic(100, MacAddress.parse("02:00:00:00:00:09"), other);
        now.addAndGet(SECOND);

        final DataPathCounters block = counters.newBlock();
        for (int i = 0; i < 5; i++)
        {
            block.vniReceived(vni100.slot(), Side.ACCESS, 98);
        }
        for (int i = 0; i < 4; i++)
        {
            block.vniSent(vni100.slot(), Side.OVERLAY, 98);
        }
        block.vniReceived(vni100.slot(), Side.OVERLAY, 60);
        block.vniSent(vni100.slot(), Side.ACCESS, 60);
        block.vniFlooded(vni100.slot());
        block.vniDropped(vni100.slot(), DropReason.NO_ROUTE);
        block.vniDropped(vni100.slot(), DropReason.NO_ROUTE);
        block.dropped(DropReason.MALFORMED);
    }

    final RuntimeFdbEntries runtime = new RuntimeFdbEntries();

    /** A router whose changing endpoints take {@code tokenOrNull} and call {@code reloadOrNull}. */
    ApiRouter router(final ApiToken tokenOrNull, final ReloadService reloadOrNull)
    {
        return router(tokenOrNull, reloadOrNull, null);
    }

    ApiRouter router(final ApiToken tokenOrNull, final ReloadService reloadOrNull, final DuplicateMacs duplicatesOrNull)
    {
        return new ApiRouter(fdb, tables, counters,
            accept -> ApiResponse.of(200, "text/plain; version=0.0.4; charset=utf-8", "scraped with " + accept + "\n"),
            () -> notReady, "1.2.3", null,
            new ChangeRoutes(tokenOrNull, fdb, runtime, VtepAddress.parse("192.0.2.1"), reloadOrNull).duplicates(duplicatesOrNull));
    }

    ApiRouter router()
    {
        return new ApiRouter(fdb, tables, counters,
            accept -> ApiResponse.of(200, "text/plain; version=0.0.4; charset=utf-8", "scraped with " + accept + "\n"),
            () -> notReady, "1.2.3");
    }
}
