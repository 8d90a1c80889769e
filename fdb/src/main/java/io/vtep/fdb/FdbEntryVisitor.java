package io.vtep.fdb;

/**
 * Receives FDB entries from {@link VniFdb#forEach} and {@link Fdb#forEach}.
 */
@FunctionalInterface
public interface FdbEntryVisitor
{
    /**
     * @param vni      the VNI.
     * @param mac      address in the low 48 bits.
     * @param entry    packed {@link FdbEntry}.
     * @param ageNanos time since the entry was last seen (learned entries) or installed or
     *                 last changed (static and EVPN entries, which never age out).
     */
    void visit(int vni, long mac, long entry, long ageNanos);
}
