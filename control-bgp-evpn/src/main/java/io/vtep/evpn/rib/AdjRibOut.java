package io.vtep.evpn.rib;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vtep.evpn.codec.nlri.EvpnRouteKey;

/**
 * What was advertised to one neighbor and not withdrawn (RFC 4271 §3.2 Adj-RIB-Out). A VTEP is an
 * edge: only its own routes are ever here. Owned by the control thread; {@link #size()} is safe
 * from any thread.
 */
public final class AdjRibOut
{
    private final Map<EvpnRouteKey, EvpnPath> routes = new LinkedHashMap<>();
    private volatile long size;

    /**
     * @param key  the key.
     * @param path the path now advertised.
     * @return whether it differs from what the neighbor had (so an UPDATE is due).
     */
    public boolean advertise(final EvpnRouteKey key, final EvpnPath path)
    {
        final EvpnPath previous = routes.put(key, path);
        size = routes.size();
        return !path.equals(previous);
    }

    /**
     * @param key the key.
     * @return the path withdrawn, or null when the neighbor never had it (no UPDATE due).
     */
    public EvpnPath withdraw(final EvpnRouteKey key)
    {
        final EvpnPath previous = routes.remove(key);
        size = routes.size();
        return previous;
    }

    /** @return every advertised path, in advertisement order. */
    public List<EvpnPath> all()
    {
        return new ArrayList<>(routes.values());
    }

    /** Forgets everything (the session went down). */
    public void clear()
    {
        routes.clear();
        size = 0;
    }

    /** @return routes advertised. */
    public long size()
    {
        return size;
    }
}
