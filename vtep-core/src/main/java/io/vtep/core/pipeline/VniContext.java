package io.vtep.core.pipeline;

import io.vtep.fdb.VniFdb;

/**
 * Everything the data path needs about one VNI: its FDB, its dense counter slot and its local
 * members (the attachments that BUM traffic is flooded to).
 */
public final class VniContext
{
    private final int vni;
    private final int slot;
    private final VniFdb fdb;
    private Attachment[] members = new Attachment[0];

    VniContext(final int vni, final int slot, final VniFdb fdb)
    {
        this.vni = vni;
        this.slot = slot;
        this.fdb = fdb;
    }

    public int vni()
    {
        return vni;
    }

    /** Dense index of this VNI's counter row. */
    public int slot()
    {
        return slot;
    }

    public VniFdb fdb()
    {
        return fdb;
    }

    /** Local attachments of this VNI; fixed once the tables are built. */
    public Attachment[] members()
    {
        return members;
    }

    void addMember(final Attachment attachment)
    {
        final Attachment[] grown = java.util.Arrays.copyOf(members, members.length + 1);
        grown[members.length] = attachment;
        members = grown;
    }
}
