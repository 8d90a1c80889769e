package io.vtep.fdb;

import io.vtep.encap.VtepAddress;

/**
 * A remote VTEP, interned by a {@link RemoteVtepTable}: one instance per underlay address, so
 * identity comparison is equality and FDB entries refer to it by its small dense
 * {@link #index()} (per-VTEP state elsewhere, such as counters, can live in arrays indexed by
 * it). Immutable; never removed from its table, so an index never changes meaning.
 */
public final class RemoteVtep
{
    private final int index;
    private final VtepAddress address;
    // Copied out of the address so that lock-free lookups compare primitives in one object.
    final boolean ipv6;
    final int ipv4;
    final long ipv6High;
    final long ipv6Low;

    RemoteVtep(final int index, final VtepAddress address)
    {
        this.index = index;
        this.address = address;
        this.ipv6 = address.isIpv6();
        this.ipv4 = address.ipv4();
        this.ipv6High = address.ipv6High();
        this.ipv6Low = address.ipv6Low();
    }

    /**
     * @return position in the table, {@code 0 ≤ index < capacity}; what FDB entries store.
     */
    public int index()
    {
        return index;
    }

    /**
     * @return the underlay address of the VTEP.
     */
    public VtepAddress address()
    {
        return address;
    }

    boolean isIpv4(final int address)
    {
        return !ipv6 && ipv4 == address;
    }

    boolean isIpv6(final long high, final long low)
    {
        return ipv6 && ipv6High == high && ipv6Low == low;
    }

    @Override
    public String toString()
    {
        return "vtep#" + index + " " + address;
    }
}
