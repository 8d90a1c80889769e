package io.vtep.core.pipeline;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbListener;

/**
 * Fills the {@link NeighborTable} of every VNI with ARP/ND suppression on (RFC 7432 §10): the IP →
 * MAC bindings of the MAC/IP Advertisement routes received over EVPN, and of the local hosts whose
 * ARP and Neighbor Discovery the access pipelines snoop ({@link NeighborSnooper}).
 *
 * <p>One IP may be claimed by several sources at once: a host that moved is advertised by its new
 * VTEP before its old one withdraws, and is snooped here before the remote route goes. Each source
 * keeps its claim; the latest claim is the one answered, and when it goes the latest of those left
 * takes over, so a withdrawal of a stale route does not remove a live binding.
 *
 * <p>A remote binding leaves with its route (withdrawn, or no longer best); a local one when its MAC
 * leaves the FDB as a local entry (aged out, or moved to a remote VTEP): this is an
 * {@link FdbListener} of the FDB for that.
 *
 * <p>Writers are control threads (the EVPN control thread, the neighbour drain, the FDB writer
 * under its lock); they take this object's lock, never the FDB's, and each table has one writer at
 * a time. The data path reads the tables lock-free and never waits for it.
 */
public final class NeighborBindings implements FdbListener
{
    /** The source of every local (snooped) claim. */
    private static final Object LOCAL = new Object()
    {
        @Override
        public String toString()
        {
            return "local";
        }
    };

    private record Address(int vni, long high, long low)
    {
    }

    private record LocalMac(int vni, long mac)
    {
    }

    private final ForwardingTables tables;
    /** Per bound address: its claims in the order they came, source → packed binding (mac | flags << 48). */
    private final Map<Address, LinkedHashMap<Object, Long>> claims = new HashMap<>();
    /** The addresses each local MAC claims, to drop them when the MAC leaves. */
    private final Map<LocalMac, Set<Address>> localClaims = new HashMap<>();
    private volatile long refused;

    public NeighborBindings(final ForwardingTables tables)
    {
        this.tables = tables;
    }

    /**
     * A received MAC+IP route became best ({@code add}) or stopped being best.
     *
     * @param route the route's identity (its key): one claim per key
     * @param flags {@link NeighborTable#ROUTER} and {@link NeighborTable#OVERRIDE}
     */
    public synchronized void remote(final int vni, final Object route, final long mac, final InetAddress ip, final int flags,
        final boolean add)
    {
        final NeighborTable table = table(vni);
        if (table == null)
        {
            return;
        }
        final Address address = address(vni, ip);
        if (add)
        {
            claim(table, address, route, pack(mac, flags));
        }
        else
        {
            unclaim(table, address, route);
        }
    }

    /** A local host's binding, snooped from its ARP or ND (its own frames: Override, no Router flag). */
    public synchronized void local(final int vni, final long mac, final InetAddress ip)
    {
        final NeighborTable table = table(vni);
        final long entry = table == null ? FdbEntry.NONE : tables.vni(vni).fdb().lookup(mac);
        if (entry == FdbEntry.NONE || !FdbEntry.isLocal(entry))
        {
            // Not (yet) a local MAC: no FDB event would ever take the binding away. The host's next
            // ARP or ND offers it again (NeighborSnooper.REFRESH_NANOS).
            return;
        }
        final Address address = address(vni, ip);
        final LinkedHashMap<Object, Long> current = claims.get(address);
        final Long previous = current == null ? null : current.get(LOCAL);
        if (previous != null && NeighborTable.mac(previous) != mac)
        {
            forgetLocal(new LocalMac(vni, NeighborTable.mac(previous)), address); // another local host took the IP
        }
        if (claim(table, address, LOCAL, pack(mac, NeighborTable.OVERRIDE)))
        {
            localClaims.computeIfAbsent(new LocalMac(vni, mac), ignored -> new HashSet<>()).add(address);
        }
    }

    @Override
    public void onEntryRemoved(final int vni, final long mac, final long oldEntry)
    {
        if (FdbEntry.isLocal(oldEntry))
        {
            localGone(vni, mac);
        }
    }

    @Override
    public void onEntryChanged(final int vni, final long mac, final long oldEntry, final long newEntry)
    {
        if (FdbEntry.isLocal(oldEntry) && !FdbEntry.isLocal(newEntry))
        {
            localGone(vni, mac);
        }
    }

    /** @return bindings refused because a VNI's table was full */
    public long refused()
    {
        return refused;
    }

    private synchronized void localGone(final int vni, final long mac)
    {
        final NeighborTable table = table(vni);
        final Set<Address> addresses = localClaims.remove(new LocalMac(vni, mac));
        if (table == null || addresses == null)
        {
            return;
        }
        for (final Address address : addresses)
        {
            unclaim(table, address, LOCAL);
        }
    }

    private void forgetLocal(final LocalMac mac, final Address address)
    {
        final Set<Address> addresses = localClaims.get(mac);
        if (addresses != null && addresses.remove(address) && addresses.isEmpty())
        {
            localClaims.remove(mac);
        }
    }

    /** @return whether the claim is held (false: the table is full and the address new to it) */
    private boolean claim(final NeighborTable table, final Address address, final Object source, final long binding)
    {
        LinkedHashMap<Object, Long> current = claims.get(address);
        if (current == null)
        {
            if (!table.put(address.high, address.low, NeighborTable.mac(binding), NeighborTable.flags(binding)))
            {
                refused = refused + 1;
                return false;
            }
            current = new LinkedHashMap<>();
            claims.put(address, current);
            current.put(source, binding);
            return true;
        }
        current.remove(source); // to the end: the latest claim is answered
        current.put(source, binding);
        table.put(address.high, address.low, NeighborTable.mac(binding), NeighborTable.flags(binding));
        return true;
    }

    private void unclaim(final NeighborTable table, final Address address, final Object source)
    {
        final LinkedHashMap<Object, Long> current = claims.get(address);
        if (current == null || current.remove(source) == null)
        {
            return;
        }
        if (current.isEmpty())
        {
            claims.remove(address);
            table.remove(address.high, address.low);
            return;
        }
        long latest = 0;
        for (final Iterator<Long> it = current.values().iterator(); it.hasNext();)
        {
            latest = it.next();
        }
        table.put(address.high, address.low, NeighborTable.mac(latest), NeighborTable.flags(latest));
    }

    private NeighborTable table(final int vni)
    {
        final VniContext context = tables.vni(vni);
        return context == null ? null : context.neighbors();
    }

    private static long pack(final long mac, final int flags)
    {
        return (mac & NeighborTable.MAC_MASK) | ((long)(flags & 0xFF) << 48);
    }

    private static Address address(final int vni, final InetAddress ip)
    {
        if (ip instanceof Inet4Address)
        {
            return new Address(vni, 0L, NeighborTable.ipv4Low(ByteBuffer.wrap(ip.getAddress()).getInt()));
        }
        final ByteBuffer bytes = ByteBuffer.wrap(ip.getAddress());
        return new Address(vni, bytes.getLong(), bytes.getLong());
    }
}
