package io.vtep.evpn.vtep;

import io.vtep.evpn.rib.EvpnPath;
import io.vtep.fdb.RemoteVtep;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one MAC of a local VNI is, as far as EVPN is concerned: the imported best paths that name
 * it (one per route key: MAC-only and MAC+IP routes, from every VTEP), whether it is attached
 * locally and with which MAC mobility sequence (RFC 7432 §15), what was installed in the FDB, and
 * its recent moves for duplicate detection. Owned by the control thread.
 */
final class MacState
{
    final long mac;
    final List<EvpnPath> remotePaths = new ArrayList<>(1);
    boolean local;
    boolean localSticky;
    /** The sequence our routes for the MAC carry; kept after the MAC leaves so a return bumps it. */
    long localSequence;
    /** IPs neighbor discovery saw for the MAC (MAC+IP routes, RFC 7432 §7.2). */
    Set<InetAddress> ips;
    RemoteVtep installed;
    /** The installed EVPN entry is pinned: local learning does not replace it (sticky or duplicate). */
    boolean installedPinned;
    boolean duplicate;
    /** Times (nanos) of recent moves, oldest first. */
    long[] moveTimes;
    int moveCount;

    MacState(final long mac)
    {
        this.mac = mac;
    }

    Set<InetAddress> ips()
    {
        if (ips == null)
        {
            ips = new LinkedHashSet<>();
        }
        return ips;
    }

    boolean isUnused()
    {
        return !local && remotePaths.isEmpty() && installed == null && !duplicate && localSequence == 0;
    }

    /**
     * Records a move and says whether the MAC now moved more than {@code maxMoves} times within
     * {@code windowNanos} (FRR's {@code dup-addr-detection}).
     *
     * @param nowNanos    now.
     * @param maxMoves    moves tolerated within the window.
     * @param windowNanos the window.
     * @return whether the MAC just became a duplicate.
     */
    boolean recordMove(final long nowNanos, final int maxMoves, final long windowNanos)
    {
        if (moveTimes == null)
        {
            moveTimes = new long[maxMoves + 1];
        }
        int kept = 0;
        for (int i = 0; i < moveCount; i++)
        {
            if (nowNanos - moveTimes[i] <= windowNanos)
            {
                moveTimes[kept++] = moveTimes[i];
            }
        }
        moveCount = kept;
        if (moveCount == moveTimes.length)
        {
            System.arraycopy(moveTimes, 1, moveTimes, 0, moveCount - 1);
            moveCount--;
        }
        moveTimes[moveCount++] = nowNanos;
        if (!duplicate && moveCount > maxMoves)
        {
            duplicate = true;
            return true;
        }
        return false;
    }
}
