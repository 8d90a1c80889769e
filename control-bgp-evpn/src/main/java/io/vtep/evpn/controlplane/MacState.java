package io.vtep.evpn.controlplane;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vtep.evpn.mobility.Advertisement;
import io.vtep.evpn.mobility.MacMobility;
import io.vtep.evpn.rib.BestPath;
import io.vtep.evpn.rib.EvpnPath;
import io.vtep.fdb.RemoteVtep;

/**
 * What the control plane knows of one MAC of a local VNI: the imported best paths that name it
 * (one per route key: MAC-only and MAC+IP routes, from every VTEP), where MAC mobility puts it
 * ({@link MacMobility}), the IPs snooped for it, and what was installed in the FDB. Owned by the
 * control thread.
 */
final class MacState
{
    final long mac;
    final MacMobility mobility;
    final List<EvpnPath> remotePaths = new ArrayList<>(1);
    /**
     * Best paths naming the MAC with one of our own ESIs, from the other gateways of that segment ("MAC
     * sync", RFC 7432 §8.4): the MAC is on our link too. Not remote paths: MAC mobility never sees them.
     */
    final List<EvpnPath> syncPaths = new ArrayList<>(0);
    /** IPs neighbor discovery saw for the MAC (MAC+IP routes, RFC 7432 §7.2). */
    Set<InetAddress> ips;
    /** The EVPN entry installed in the FDB, or null (none, or the FDB holds the local entry). */
    RemoteVtep installed;
    /** The installed EVPN entry is pinned: local learning does not replace it (sticky or duplicate). */
    boolean installedPinned;
    /** The alias group of the installed EVPN entry (a MAC on a remote Ethernet segment), 0 for none. */
    int installedGroup;
    /** A synced entry is installed in the FDB on our attachment {@link #syncedAttachment} (origin EVPN, local). */
    boolean synced;
    int syncedAttachment;

    MacState(final long mac, final MacMobility mobility)
    {
        this.mac = mac;
        this.mobility = mobility;
    }

    Set<InetAddress> ips()
    {
        if (ips == null)
        {
            ips = new LinkedHashSet<>();
        }
        return ips;
    }

    /** @return the best remote path, or null. */
    EvpnPath remoteBest()
    {
        return remotePaths.isEmpty() ? null : BestPath.select(remotePaths);
    }

    /** @return the best path of the other gateways of our segment, or null. */
    EvpnPath syncBest()
    {
        return syncPaths.isEmpty() ? null : BestPath.select(syncPaths);
    }

    /** @return the best remote path as MAC mobility sees it, or null. */
    static Advertisement advertisement(final EvpnPath path)
    {
        return path == null ? null : new Advertisement(path.sequence(), path.sticky(), path.nextHop());
    }

    boolean isUnused()
    {
        return mobility.forgettable() && remotePaths.isEmpty() && syncPaths.isEmpty() && installed == null && !synced;
    }
}
