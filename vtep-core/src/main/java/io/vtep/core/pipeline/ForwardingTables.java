package io.vtep.core.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Int2ObjectHashMap;

import io.vtep.core.port.AccessPort;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.RemoteVtep;

/**
 * The shape of the data path: VNIs by id, attachments by id, ports. Data-path threads read it
 * without locks or allocation; a reload changes it copy-on-write (each table is replaced whole and
 * published through a volatile field, so a pipeline sees the old table or the new one, never a mix),
 * one writer at a time ({@code synchronized}). What changes with traffic (MACs, flood lists) lives in
 * the {@link Fdb}; each VNI's remote members ({@link VniMembers}) follow it through a listener.
 */
public final class ForwardingTables
{
    private final Fdb fdb;
    /** Copy-on-write: replaced whole on each change, never modified once published. */
    private volatile Int2ObjectHashMap<VniContext> vnis = new Int2ObjectHashMap<>();
    /** The VNIs in force, in order of addition. */
    private volatile List<VniContext> vniList = List.of();
    /** Every VNI context by its counter slot, removed ones included (metrics keep their series). */
    private volatile List<VniContext> bySlot = List.of();
    /** Slots of removed VNIs: a VNI added again counts on in its old row. */
    private final Map<Integer, Integer> retiredSlots = new HashMap<>();
    private volatile Attachment[] attachments = new Attachment[0];
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
     * Adds a VNI already added to the FDB; its counter slot is the order of first addition (a VNI
     * removed and added again gets its old slot). Its members start from what the FDB holds now
     * (flood list, static and EVPN entries, group members).
     */
    public synchronized VniContext addVni(final int vni)
    {
        if (vnis.containsKey(vni))
        {
            throw new IllegalArgumentException("VNI " + vni + " is already in the forwarding tables");
        }
        final Integer retired = retiredSlots.remove(vni);
        final int slot = retired != null ? retired : bySlot.size();
        final VniContext context = new VniContext(vni, slot, fdb.vni(vni), fdb.remoteVteps().capacity());
        context.memberVteps().floodList(context.fdb().floodList());
        context.fdb().forEach((id, mac, entry, age) -> context.memberVteps().entryAdded(entry));
        for (int index = 0; index < fdb.remoteVteps().highWater(); index++)
        {
            final RemoteVtep vtep = fdb.remoteVteps().byIndex(index);
            if (vtep != null && !vtep.isRemoved() && context.fdb().isGroupMember(vtep))
            {
                context.memberVteps().groupMember(index, true);
            }
        }
        final List<VniContext> slots = new ArrayList<>(bySlot);
        if (retired != null)
        {
            slots.set(slot, context);
        }
        else
        {
            slots.add(context);
        }
        bySlot = List.copyOf(slots);
        final List<VniContext> list = new ArrayList<>(vniList);
        list.add(context);
        vniList = List.copyOf(list);
        final Int2ObjectHashMap<VniContext> map = new Int2ObjectHashMap<>(vnis);
        map.put(vni, context);
        vnis = map;
        return context;
    }

    /**
     * Takes a VNI out of the data path (frames of it are then dropped as of an unknown VNI). Its
     * attachments must have been detached first; its FDB stays (the caller empties it).
     *
     * @return the context it had, or null when it was not there
     */
    public synchronized VniContext removeVni(final int vni)
    {
        final VniContext context = vnis.get(vni);
        if (context == null)
        {
            return null;
        }
        if (context.members().length != 0)
        {
            throw new IllegalStateException("VNI " + vni + " still has attachments " + List.of(context.members()));
        }
        final Int2ObjectHashMap<VniContext> map = new Int2ObjectHashMap<>(vnis);
        map.remove(vni);
        vnis = map;
        vniList = vniList.stream().filter(c -> c != context).toList();
        retiredSlots.put(vni, context.slot());
        return context;
    }

    public synchronized PortContext addPort(final AccessPort port)
    {
        final PortContext context = new PortContext(port);
        ports.add(context);
        return context;
    }

    /**
     * Forgets a port a reload removed; its VLANs must have been detached first (its attachments
     * keep their ids, as {@link #detach} says).
     */
    public synchronized void removePort(final PortContext port)
    {
        if (port.attachment(Attachment.UNTAGGED) != null || Arrays.stream(port.byVlan()).anyMatch(java.util.Objects::nonNull))
        {
            throw new IllegalStateException("port " + port.port().name() + " still has VLANs mapped");
        }
        ports.remove(port);
    }

    /** Maps a VLAN (or {@link Attachment#UNTAGGED}) of a port into a VNI; the port's previous mapping of it is replaced. */
    public synchronized Attachment attach(final PortContext port, final int vlan, final VniContext vni)
    {
        final Attachment attachment = new Attachment(attachments.length, port, vlan, vni);
        final Attachment[] grown = Arrays.copyOf(attachments, attachments.length + 1);
        grown[attachment.id()] = attachment;
        // Published before the port maps it: a frame that finds the attachment finds it by id too.
        attachments = grown;
        vni.addMember(attachment);
        port.map(attachment);
        return attachment;
    }

    /**
     * Unmaps a VLAN of a port: its frames are then dropped as unmapped, and the VNI no longer floods
     * to it. The attachment keeps its id (FDB entries may still name it until the caller removes
     * them), so ids are never reused.
     *
     * @return the attachment it had, or null when the VLAN was not mapped
     */
    public synchronized Attachment detach(final PortContext port, final int vlan)
    {
        final Attachment attachment = port.attachment(vlan);
        if (attachment == null)
        {
            return null;
        }
        port.unmap(vlan);
        attachment.vni().removeMember(attachment);
        return attachment;
    }

    /** Lock-free, allocation-free. */
    public VniContext vni(final int vni)
    {
        return vnis.get(vni);
    }

    /** The VNIs in force, in order of addition. */
    public List<VniContext> vnis()
    {
        return vniList;
    }

    /** Every VNI ever in force, by counter slot (a removed one keeps its slot); for per-VNI metric series. */
    public List<VniContext> bySlot()
    {
        return bySlot;
    }

    /** Lock-free, allocation-free. */
    public Attachment attachment(final int id)
    {
        return attachments[id];
    }

    public synchronized List<PortContext> ports()
    {
        return List.copyOf(ports);
    }

    /** The port of that name, or null. */
    public synchronized PortContext port(final String name)
    {
        return ports.stream().filter(port -> port.port().name().equals(name)).findFirst().orElse(null);
    }
}
