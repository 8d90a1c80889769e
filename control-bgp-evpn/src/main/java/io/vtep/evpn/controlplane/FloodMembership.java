package io.vtep.evpn.controlplane;

import java.net.InetAddress;

import io.vtep.encap.VtepAddress;
import io.vtep.evpn.RateLimitedLog;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.RemoteVtep;

/**
 * Type-3 import (RFC 7432 §11, RFC 8365 §5.1.3): a remote VTEP is in a VNI's flood list while any
 * inclusive multicast best path names it. A VTEP already in the list (configured) is never EVPN's
 * to remove. Owned by the control thread.
 */
final class FloodMembership
{
    private static final System.Logger LOG = System.getLogger(FloodMembership.class.getName());

    private final Fdb fdb;
    /** Once per route while the table is full would be a line per route a peer sends (issue 15, failure 2). */
    private final RateLimitedLog vtepTableFull = new RateLimitedLog(LOG);

    FloodMembership(final Fdb fdb)
    {
        this.fdb = fdb;
    }

    /**
     * @param vni      the VNI.
     * @param endpoint the tunnel endpoint of a type-3 best path.
     * @param add      the path became best (true) or stopped being best (false).
     */
    void reference(final LocalVni vni, final InetAddress endpoint, final boolean add)
    {
        final int before = vni.floodReferences.getOrDefault(endpoint, 0);
        final int after = add ? before + 1 : Math.max(0, before - 1);
        if (after == 0)
        {
            vni.floodReferences.remove(endpoint);
        }
        else
        {
            vni.floodReferences.put(endpoint, after);
        }
        final RemoteVtep vtep = fdb.remoteVteps().intern(VtepAddress.of(endpoint));
        if (vtep == null)
        {
            vtepTableFull.log(System.Logger.Level.WARNING, "remote VTEP table full: " + endpoint + " not added to VNI " + vni.vni);
            return;
        }
        if (before == 0 && after > 0)
        {
            boolean present = false;
            for (final RemoteVtep member : fdb.vni(vni.vni).floodList())
            {
                present |= member == vtep;
            }
            if (!present)
            {
                fdb.addToFloodList(vni.vni, vtep);
                vni.evpnFloodList.add(vtep);
            }
        }
        else if (before > 0 && after == 0 && vni.evpnFloodList.remove(vtep))
        {
            fdb.removeFromFloodList(vni.vni, vtep);
        }
    }

    /** Removes every member EVPN added to the VNI's flood list (the control thread is giving up). */
    void abandon(final LocalVni vni)
    {
        vni.floodReferences.clear();
        for (final RemoteVtep vtep : vni.evpnFloodList)
        {
            fdb.removeFromFloodList(vni.vni, vtep);
        }
        vni.evpnFloodList.clear();
    }
}
