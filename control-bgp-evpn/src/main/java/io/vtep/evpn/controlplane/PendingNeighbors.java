package io.vtep.evpn.controlplane;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.NanoClock;

/**
 * IPs seen in ARP/ND from a MAC that the control thread does not know as local yet. The two reach
 * it by different roads: the IP straight from the snooping hand-off, the MAC through the learn
 * queue, the FDB writer and the FDB event ring, so the IP may come first; without this, its MAC+IP
 * route (RFC 7432 §7.2) would wait for the host's next ARP. Held for {@link #HOLD_NANOS}, for at
 * most {@link #MAX_MACS} MACs (the oldest go first) and {@link MacLocations#MAX_IPS_PER_MAC} IPs
 * each, so spoofed ARP from MACs that never become local costs a bounded amount. Control thread only.
 */
final class PendingNeighbors
{
    static final long HOLD_NANOS = 5_000_000_000L;
    static final int MAX_MACS = 4096;

    private record Held(List<InetAddress> ips, long sinceNanos)
    {
    }

    private record Key(int vni, long mac)
    {
    }

    private final NanoClock clock;
    private final LinkedHashMap<Key, Held> held = new LinkedHashMap<>(16, 0.75f, false)
    {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Key, Held> eldest)
        {
            return size() > MAX_MACS;
        }
    };

    PendingNeighbors(final NanoClock clock)
    {
        this.clock = clock;
    }

    /** Keeps {@code ip} until {@code mac} becomes local in {@code vni}, or the hold time is over. */
    void hold(final int vni, final long mac, final InetAddress ip)
    {
        expire();
        final Held entry = held.computeIfAbsent(new Key(vni, mac), key -> new Held(new ArrayList<>(2), clock.nanoTime()));
        if (entry.ips().size() < MacLocations.MAX_IPS_PER_MAC && !entry.ips().contains(ip))
        {
            entry.ips().add(ip);
        }
    }

    /** @return the IPs held for {@code mac} within the hold time, now handed over (empty: none). */
    List<InetAddress> take(final int vni, final long mac)
    {
        if (held.isEmpty())
        {
            return List.of();
        }
        final Held entry = held.remove(new Key(vni, mac));
        return entry == null || clock.nanoTime() - entry.sinceNanos() > HOLD_NANOS ? List.of() : entry.ips();
    }

    int size()
    {
        return held.size();
    }

    /** Insertion order is age order: drop from the front while it is too old. */
    private void expire()
    {
        final long now = clock.nanoTime();
        for (final Iterator<Held> it = held.values().iterator(); it.hasNext();)
        {
            if (now - it.next().sinceNanos() <= HOLD_NANOS)
            {
                return;
            }
            it.remove();
        }
    }
}
