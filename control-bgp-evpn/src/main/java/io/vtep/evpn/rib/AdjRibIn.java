package io.vtep.evpn.rib;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vtep.evpn.codec.nlri.EvpnRouteKey;

/**
 * The routes one neighbor advertised and has not withdrawn (RFC 4271 §3.2 Adj-RIB-In), each
 * marked accepted or not (imported into a local VNI and free of loops). Owned by the control
 * thread; the two counts are published for readers on other threads.
 */
public final class AdjRibIn
{
    private final Map<EvpnRouteKey, Entry> routes = new HashMap<>();
    private volatile long received;
    private volatile long accepted;

    /**
     * @param path     the path.
     * @param accepted whether it was accepted.
     */
    private record Entry(EvpnPath path, boolean accepted, boolean loop)
    {
    }

    /** One route of the table, for {@link #forEach}. */
    public interface Visitor
    {
        /**
         * @param key      the route's key.
         * @param path     its path.
         * @param accepted whether it is in the Loc-RIB now.
         * @param loop     whether its UPDATE failed loop prevention (never imported, whatever the VNIs).
         */
        void visit(EvpnRouteKey key, EvpnPath path, boolean accepted, boolean loop);
    }

    /**
     * @param key      the route's key.
     * @param path     the new path (replaces an earlier one with the same key, RFC 4271 §3.1).
     * @param accepted whether it goes to the Loc-RIB.
     * @return the path it replaced if that one was accepted, else {@code null}.
     */
    public EvpnPath put(final EvpnRouteKey key, final EvpnPath path, final boolean accepted)
    {
        return put(key, path, accepted, false);
    }

    /**
     * As {@link #put(EvpnRouteKey, EvpnPath, boolean)}, remembering whether the path failed loop
     * prevention, so that import can be run again over the table when the local VNIs change (a
     * reload) without the UPDATE it came in.
     *
     * @param loop whether the path's UPDATE failed loop prevention.
     * @return the path it replaced if that one was accepted, else {@code null}.
     */
    public EvpnPath put(final EvpnRouteKey key, final EvpnPath path, final boolean accepted, final boolean loop)
    {
        final Entry previous = routes.put(key, new Entry(path, accepted, loop));
        count(previous, -1);
        count(routes.get(key), 1);
        return previous != null && previous.accepted ? previous.path : null;
    }

    /**
     * @param key the withdrawn route's key.
     * @return the path removed if it was accepted, else {@code null}.
     */
    public EvpnPath remove(final EvpnRouteKey key)
    {
        final Entry previous = routes.remove(key);
        count(previous, -1);
        return previous != null && previous.accepted ? previous.path : null;
    }

    /**
     * Empties the table (session down, RFC 4271 §8.2.2: routes from a closed session are deleted).
     *
     * @return the accepted paths it held.
     */
    public List<EvpnPath> clear()
    {
        final List<EvpnPath> removed = new ArrayList<>();
        for (final Entry entry : routes.values())
        {
            if (entry.accepted)
            {
                removed.add(entry.path);
            }
        }
        routes.clear();
        received = 0;
        accepted = 0;
        return removed;
    }

    /**
     * Visits every route held, from a copy: the visitor may {@link #put} (re-mark) what it visits.
     *
     * @param visitor told of each route.
     */
    public void forEach(final Visitor visitor)
    {
        for (final Map.Entry<EvpnRouteKey, Entry> route : List.copyOf(routes.entrySet()))
        {
            visitor.visit(route.getKey(), route.getValue().path, route.getValue().accepted, route.getValue().loop);
        }
    }

    /** @return routes held; safe from any thread. */
    public long received()
    {
        return received;
    }

    /** @return accepted routes held; safe from any thread. */
    public long accepted()
    {
        return accepted;
    }

    private void count(final Entry entry, final int delta)
    {
        if (entry != null)
        {
            received = received + delta;
            if (entry.accepted)
            {
                accepted = accepted + delta;
            }
        }
    }
}
