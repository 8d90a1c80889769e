package io.vtep.core.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.agrona.collections.Int2ObjectHashMap;

import io.vtep.core.port.AccessPort;
import io.vtep.fdb.Fdb;

/**
 * The static shape of the data path, built once before traffic starts and read-only afterwards
 * (so data-path threads read it without synchronisation): VNIs by id, attachments by id, ports.
 * What changes at run time (MACs, flood lists) lives in the {@link Fdb}; each VNI's remote members
 * ({@link VniMembers}) follow it through a listener.
 */
public final class ForwardingTables
{
    private final Fdb fdb;
    private final Int2ObjectHashMap<VniContext> vnis = new Int2ObjectHashMap<>();
    private final List<VniContext> vniList = new ArrayList<>();
    private final List<Attachment> attachments = new ArrayList<>();
    private final List<PortContext> ports = new ArrayList<>();

    public ForwardingTables(final Fdb fdb)
    {
        this.fdb = fdb;
        fdb.addListener(new MembershipListener(this));
    }

    public Fdb fdb()
    {
        return fdb;
    }

    /**
     * Adds a VNI already added to the FDB; its counter slot is the order of addition. Its members
     * start from what the FDB holds now (flood list, static and EVPN entries); call before traffic
     * and before other threads write the FDB.
     */
    public VniContext addVni(final int vni)
    {
        final VniContext context = new VniContext(vni, vniList.size(), fdb.vni(vni), fdb.remoteVteps().capacity());
        vnis.put(vni, context);
        vniList.add(context);
        context.memberVteps().floodList(context.fdb().floodList());
        context.fdb().forEach((id, mac, entry, age) -> context.memberVteps().entryAdded(entry));
        return context;
    }

    public PortContext addPort(final AccessPort port)
    {
        final PortContext context = new PortContext(port);
        ports.add(context);
        return context;
    }

    /** Maps a VLAN (or {@link Attachment#UNTAGGED}) of a port into a VNI. */
    public Attachment attach(final PortContext port, final int vlan, final VniContext vni)
    {
        final Attachment attachment = new Attachment(attachments.size(), port.port(), vlan, vni);
        attachments.add(attachment);
        port.map(attachment);
        vni.addMember(attachment);
        return attachment;
    }

    /** Lock-free, allocation-free. */
    public VniContext vni(final int vni)
    {
        return vnis.get(vni);
    }

    public List<VniContext> vnis()
    {
        return vniList;
    }

    public Attachment attachment(final int id)
    {
        return attachments.get(id);
    }

    public List<PortContext> ports()
    {
        return ports;
    }
}
