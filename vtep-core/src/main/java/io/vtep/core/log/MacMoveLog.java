package io.vtep.core.log;

import java.util.concurrent.TimeUnit;

import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.encap.MacAddress;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbListener;
import io.vtep.fdb.RemoteVtep;

/**
 * One log line per MAC move ("vni 100: MAC 02:00:00:00:00:01 moved from acc1 to 192.0.2.2"): the
 * event an operator looks for after a VM migrated or a loop formed. Runs on the FDB writer (under
 * its lock, never on a forwarding thread) and is rate-limited like the BGP warnings, at most
 * {@value #BURST} lines per 10 s and then a count of those left out: a flood of spoofed moves costs
 * the log a few lines, and the writer nothing but a comparison per change (nothing allocated unless
 * a line is written). The counts are in {@code vtep_vni_mac_moves_total}.
 */
public final class MacMoveLog implements FdbListener
{
    static final int BURST = 5;
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final System.Logger LOG = System.getLogger(MacMoveLog.class.getName());

    private final ForwardingTables tables;
    private long windowStartNanos;
    private int inWindow;
    private long suppressed;

    public MacMoveLog(final ForwardingTables tables)
    {
        this.tables = tables;
    }

    @Override
    public void onEntryChanged(final int vni, final long mac, final long oldEntry, final long newEntry)
    {
        if (!isMove(oldEntry, newEntry) || !LOG.isLoggable(System.Logger.Level.INFO))
        {
            return;
        }
        final long now = System.nanoTime();
        if (now - windowStartNanos >= INTERVAL_NANOS)
        {
            if (suppressed > 0)
            {
                LOG.log(System.Logger.Level.INFO, "{0} more MAC move(s) not logged in the last 10 s", String.valueOf(suppressed));
            }
            windowStartNanos = now;
            inWindow = 0;
            suppressed = 0;
        }
        if (inWindow >= BURST)
        {
            suppressed++;
            return;
        }
        inWindow++;
        LOG.log(System.Logger.Level.INFO, "vni {0}: MAC {1} moved from {2} to {3}", String.valueOf(vni), MacAddress.format(mac),
            where(oldEntry), where(newEntry));
    }

    /** Another port, VLAN or remote VTEP; not a change of origin in the same place. */
    static boolean isMove(final long oldEntry, final long newEntry)
    {
        if (oldEntry == FdbEntry.NONE || newEntry == FdbEntry.NONE)
        {
            return false;
        }
        if (FdbEntry.isLocal(oldEntry) != FdbEntry.isLocal(newEntry))
        {
            return true;
        }
        return FdbEntry.isLocal(oldEntry) ? FdbEntry.attachment(oldEntry) != FdbEntry.attachment(newEntry) :
            FdbEntry.vtepIndex(oldEntry) != FdbEntry.vtepIndex(newEntry);
    }

    private String where(final long entry)
    {
        if (FdbEntry.isLocal(entry))
        {
            return tables.attachment(FdbEntry.attachment(entry)).toString();
        }
        final RemoteVtep vtep = tables.fdb().remoteVteps().byIndex(FdbEntry.vtepIndex(entry));
        return vtep == null ? "remote VTEP #" + FdbEntry.vtepIndex(entry) : vtep.address().toString();
    }
}
