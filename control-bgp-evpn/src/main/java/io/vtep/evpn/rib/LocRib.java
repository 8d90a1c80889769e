package io.vtep.evpn.rib;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vtep.evpn.codec.nlri.EvpnRouteKey;

/**
 * Every accepted path per route key, and the best one (RFC 4271 §3.2 Loc-RIB, §9.1.2). Keys hold
 * the RD, so paths to one key come from the same originating VTEP through different neighbors
 * (two route reflectors, say). Owned by the control thread.
 */
public final class LocRib
{
    private final Map<EvpnRouteKey, Route> routes = new HashMap<>();

    /** The paths to one key and the best of them. */
    public static final class Route
    {
        private final List<EvpnPath> paths = new ArrayList<>(1);
        private EvpnPath best;

        /** @return the paths, in arrival order. */
        public List<EvpnPath> paths()
        {
            return paths;
        }

        /** @return the best path, or null when there is none. */
        public EvpnPath best()
        {
            return best;
        }
    }

    /**
     * A change of best path.
     *
     * @param oldBest the best path before, or null.
     * @param newBest the best path now, or null.
     */
    public record Change(EvpnPath oldBest, EvpnPath newBest)
    {
        /** @return whether the best path is another object now. */
        public boolean changed()
        {
            return oldBest != newBest;
        }
    }

    /**
     * Adds or replaces the path from {@code path.peer()}.
     *
     * @param key  the route key.
     * @param path the path.
     * @return the best-path change.
     */
    public Change add(final EvpnRouteKey key, final EvpnPath path)
    {
        final Route route = routes.computeIfAbsent(key, ignored -> new Route());
        route.paths.removeIf(existing -> existing.peer() == path.peer());
        route.paths.add(path);
        return reselect(route);
    }

    /**
     * @param key  the route key.
     * @param path the path to remove (matched by identity).
     * @return the best-path change.
     */
    public Change remove(final EvpnRouteKey key, final EvpnPath path)
    {
        final Route route = routes.get(key);
        if (route == null || !route.paths.remove(path))
        {
            return new Change(route == null ? null : route.best, route == null ? null : route.best);
        }
        final Change change = reselect(route);
        if (route.paths.isEmpty())
        {
            routes.remove(key);
        }
        return change;
    }

    /**
     * @param key a route key.
     * @return its paths, or null.
     */
    public Route get(final EvpnRouteKey key)
    {
        return routes.get(key);
    }

    /** @return every route. */
    public Collection<Route> routes()
    {
        return routes.values();
    }

    private static Change reselect(final Route route)
    {
        final EvpnPath old = route.best;
        route.best = route.paths.isEmpty() ? null : BestPath.select(route.paths);
        return new Change(old, route.best);
    }

    /** Forgets every route (the control plane gave up after a failure and removed what it installed). */
    public void clear()
    {
        routes.clear();
    }
}
