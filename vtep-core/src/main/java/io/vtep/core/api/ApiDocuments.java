package io.vtep.core.api;

import java.util.function.ToLongFunction;

import io.vtep.core.lacp.LacpPort;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.port.PortLink;
import io.vtep.encap.MacAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;
import io.vtep.fdb.VniFdb;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.metrics.DropReason;
import io.vtep.metrics.Side;

/**
 * The JSON documents of {@code /api/v1/fdb} and {@code /api/v1/vnis}, built on the API thread from
 * the FDB's control-side visitor ({@link VniFdb#forEach}, which never blocks the writer or the data path),
 * the read-only forwarding tables and the summed counters. Field names are snake_case; absent
 * things are {@code null}, never left out, so clients can rely on the shape.
 */
final class ApiDocuments
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Fdb fdb;
    private final ForwardingTables tables;
    private final CounterSnapshotSource counters;
    private final RuntimeFdbEntries runtime;

    ApiDocuments(final Fdb fdb, final ForwardingTables tables, final CounterSnapshotSource counters, final RuntimeFdbEntries runtime)
    {
        this.fdb = fdb;
        this.tables = tables;
        this.counters = counters;
        this.runtime = runtime;
    }

    boolean hasVni(final int vni)
    {
        return tables.vni(vni) != null && fdb.vni(vni) != null;
    }

    /** Rows per page when the whole FDB is streamed: a sixteenth of it, within these bounds. */
    static final int MIN_STREAM_PAGE = 1024;
    static final int MAX_STREAM_PAGE = FdbPager.MAX_CAPACITY;

    /**
     * <pre>{@code
     * {"entries":[{"vni":100,"mac":"02:00:00:00:00:01","origin":"local","port":"acc1","vlan":null,
     *              "remote":null,"alias_vteps":null,"age_seconds":3,"runtime":false}, ...]}
     * }</pre>
     * {@code alias_vteps}: for an EVPN entry of a MAC on a remote Ethernet segment, the VTEPs its flows
     * are spread over (aliasing, RFC 7432 §8.4); null otherwise.
     * Sorted by VNI, then MAC. {@code age_seconds}: since last seen for learned entries, since installed
     * for static and EVPN ones (which never age out). {@code runtime}: a static entry added through the
     * API ({@link RuntimeFdbEntries}), which a reload keeps only when the file has it. Written a page at a time ({@link FdbPager}):
     * memory stays a page whatever the size of the FDB.
     *
     * <p>With a {@code cursor}, one page: the {@code limit} entries after it, and {@code "next"}, the
     * cursor of the page after (null on the last page).
     *
     * @param vniOrZero one VNI, or 0 for all
     * @param cursor    where a page starts and how long it is, or null for the whole FDB
     */
    StreamedDocument fdb(final int vniOrZero, final FdbCursor cursor)
    {
        return new FdbStream(vniOrZero, cursor);
    }

    /** Rows per page: the requested page, or for the whole FDB a sixteenth of it within bounds. */
    private int pageCapacity(final int vniOrZero, final FdbCursor cursor)
    {
        if (cursor != null)
        {
            return cursor.limit();
        }
        long total = 0;
        for (final int vni : vniOrZero == 0 ? fdb.vnis() : new int[] {vniOrZero})
        {
            final VniFdb table = fdb.vni(vni);
            total += table == null ? 0 : table.size();
        }
        return (int)Math.clamp(total / 16, MIN_STREAM_PAGE, MAX_STREAM_PAGE);
    }

    /**
     * The state of one {@code /api/v1/fdb} answer between pieces. The page and the text buffer are
     * made with the first piece, so that answers queued behind another on a connection cost little.
     */
    private final class FdbStream implements StreamedDocument
    {
        private final int vniOrZero;
        private final FdbCursor pageOnlyOrNull;
        private FdbPager pager;
        private StringBuilder buffer;
        private JsonWriter json;
        private int rows;
        private int row;
        private int afterVni;
        private long afterMac = -1;

        FdbStream(final int vniOrZero, final FdbCursor pageOnlyOrNull)
        {
            this.vniOrZero = vniOrZero;
            this.pageOnlyOrNull = pageOnlyOrNull;
            if (pageOnlyOrNull != null)
            {
                afterVni = pageOnlyOrNull.afterVni();
                afterMac = pageOnlyOrNull.afterMac();
            }
        }

        @Override
        public boolean next(final StringBuilder out)
        {
            if (pager == null)
            {
                pager = new FdbPager(fdb, vniOrZero, pageCapacity(vniOrZero, pageOnlyOrNull));
                buffer = new StringBuilder(StreamedDocument.PIECE_CHARS + 512);
                json = new JsonWriter(buffer);
                json.beginObject().name("entries").beginArray();
                nextPage();
            }
            boolean more = true;
            while (buffer.length() < StreamedDocument.PIECE_CHARS)
            {
                if (row == rows && (pageOnlyOrNull != null || !pager.more() || nextPage() == 0))
                {
                    finish();
                    more = false;
                    break;
                }
                entry(json, pager.vni(row), pager.mac(row), pager.entry(row), pager.ageNanos(row));
                afterVni = pager.vni(row);
                afterMac = pager.mac(row);
                row++;
            }
            out.append(buffer);
            buffer.setLength(0);
            return more;
        }

        private int nextPage()
        {
            rows = pager.fill(afterVni, afterMac);
            row = 0;
            return rows;
        }

        private void finish()
        {
            json.endArray();
            if (pageOnlyOrNull != null)
            {
                json.field("next", pager.more() && rows > 0 ? FdbCursor.format(afterVni, afterMac) : null);
            }
            json.endObject();
            buffer.append('\n');
        }
    }

    private void entry(final JsonWriter json, final int vni, final long mac, final long entry, final long ageNanos)
    {
        final Origin origin = FdbEntry.origin(entry);
        json.beginObject()
            .field("vni", vni)
            .field("mac", MacAddress.format(mac))
            .field("origin", origin == null ? null : origin.label());
        if (FdbEntry.isLocal(entry))
        {
            final Attachment attachment = attachment(FdbEntry.attachment(entry));
            json.field("port", attachment == null ? null : attachment.port().name());
            json.name("vlan");
            if (attachment != null && attachment.isTagged())
            {
                json.value(attachment.vlan());
            }
            else
            {
                json.nullValue();
            }
            json.name("remote").nullValue();
        }
        else
        {
            final RemoteVtep vtep = fdb.remoteVteps().byIndex(FdbEntry.vtepIndex(entry));
            json.name("port").nullValue().name("vlan").nullValue()
                .field("remote", vtep == null ? null : vtep.address().toString());
        }
        aliasVteps(json.name("alias_vteps"), FdbEntry.aliasGroup(entry));
        json.field("age_seconds", Math.max(0, ageNanos) / NANOS_PER_SECOND)
            .field("runtime", origin == Origin.STATIC && runtime.isStatic(vni, mac)).endObject();
    }

    /**
     * An EVPN entry of a MAC on a remote Ethernet segment: the VTEPs its flows are spread over now
     * (RFC 7432 §8.4 aliasing, the entry's alias group; {@code remote} stays the route's VTEP); null
     * for every other entry.
     */
    private void aliasVteps(final JsonWriter json, final int group)
    {
        if (group == 0)
        {
            json.nullValue();
            return;
        }
        json.beginArray();
        for (final RemoteVtep member : fdb.aliasGroups().members(group))
        {
            json.value(member.address().toString());
        }
        json.endArray();
    }

    /**
     * Per VNI: configuration as running (learning, MAC limit, ports, flood list or group), FDB entry
     * counts by origin, MAC moves and limit hits, and the data-path counters; plus the drops that
     * have no VNI. See the README's HTTP API section for the shape.
     *
     * @param vniOrZero one VNI, or 0 for all
     */
    String vnis(final int vniOrZero)
    {
        final JsonWriter json = new JsonWriter().beginObject().name("vnis").beginArray();
        for (final VniContext context : tables.vnis())
        {
            if (vniOrZero != 0 && context.vni() != vniOrZero)
            {
                continue;
            }
            vni(json, context);
        }
        json.endArray();
        json.name("drops").beginObject();
        for (int i = 0; i < DropReason.count(); i++)
        {
            final DropReason reason = DropReason.of(i);
            json.field(reason.label(), counters.drops(reason));
        }
        json.endObject();
        return json.endObject() + "\n";
    }

    /**
     * Every access port and its interface (docs/architecture.md §3.5):
     * {@code {"ports":[{"port","state","ifindex","reopens"[,"lacp"]}…]}}, {@code state} up, down or absent;
     * {@code lacp} on ports that run it ({@link LacpDocument}).
     */
    String ports()
    {
        final JsonWriter json = new JsonWriter().beginObject().name("ports").beginArray();
        for (final PortContext port : tables.ports())
        {
            portState(json, port.port().name());
        }
        return json.endArray().endObject() + "\n";
    }

    private void portState(final JsonWriter json, final String name)
    {
        final PortLink link = tables.ports().stream().filter(p -> p.port().name().equals(name))
            .map(PortContext::link).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        json.beginObject().field("port", name);
        if (link == null)
        {
            json.field("state", "up").name("ifindex").nullValue().field("reopens", 0);
        }
        else
        {
            json.field("state", link.state().label()).field("ifindex", link.interfaceIndex()).field("reopens", link.reopens());
        }
        final LacpPort lacp = lacp(name);
        if (lacp != null)
        {
            LacpDocument.write(json.name("lacp"), lacp);
        }
        json.endObject();
    }

    /** @return the LACP of the access port of that name, or null when it has none (or there is no such port) */
    LacpPort lacp(final String port)
    {
        return tables.ports().stream().filter(p -> p.port().name().equals(port))
            .map(PortContext::lacp).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private void vni(final JsonWriter json, final VniContext context)
    {
        final VniFdb vniFdb = fdb.vni(context.vni());
        json.beginObject()
            .field("vni", context.vni())
            .field("learning", vniFdb.learningMode().label())
            .field("mac_limit", vniFdb.macLimit());
        json.name("ports").beginArray();
        for (final Attachment attachment : context.members())
        {
            json.value(attachment.toString());
        }
        json.endArray();
        json.name("port_states").beginArray();
        final java.util.Set<String> seen = new java.util.HashSet<>();
        for (final Attachment attachment : context.members())
        {
            if (seen.add(attachment.port().name()))
            {
                portState(json, attachment.port().name());
            }
        }
        json.endArray();
        json.name("flood").beginArray();
        for (final RemoteVtep vtep : vniFdb.floodList())
        {
            json.value(vtep.address().toString());
        }
        json.endArray();
        json.name("flood_runtime").beginArray();
        for (final RemoteVtep vtep : vniFdb.floodList())
        {
            if (runtime.isFlood(context.vni(), vtep.address()))
            {
                json.value(vtep.address().toString());
            }
        }
        json.endArray();
        json.field("multicast_group", vniFdb.multicastGroup() == null ? null : vniFdb.multicastGroup().toString());

        json.name("fdb").beginObject();
        int total = 0;
        for (final Origin origin : Origin.values())
        {
            final int count = vniFdb.entries(origin);
            total += count;
            json.field(origin.label(), count);
        }
        json.field("total", total).endObject();
        json.field("mac_moves", vniFdb.macMoves()).field("mac_limit_hits", vniFdb.macLimitHits());

        final int slot = context.slot();
        json.name("counters").beginObject();
        bySide(json.name("rx"), side -> counters.vniRxPackets(slot, side), side -> counters.vniRxBytes(slot, side));
        bySide(json.name("tx"), side -> counters.vniTxPackets(slot, side), side -> counters.vniTxBytes(slot, side));
        json.field("floods", counters.vniFloodPackets(slot));
        json.name("drops").beginObject();
        for (int i = 0; i < DropReason.count(); i++)
        {
            final DropReason reason = DropReason.of(i);
            json.field(reason.label(), counters.vniDrops(slot, reason));
        }
        json.endObject();
        json.endObject();
        json.endObject();
    }

    private Attachment attachment(final int id)
    {
        try
        {
            return tables.attachment(id);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return null;
        }
    }

    /** One object per side ({@code access}, {@code overlay}), each with its packets and bytes. */
    private static void bySide(final JsonWriter json, final ToLongFunction<Side> packets, final ToLongFunction<Side> bytes)
    {
        json.beginObject();
        for (final Side side : Side.values())
        {
            json.name(side.label()).beginObject()
                .field("packets", packets.applyAsLong(side))
                .field("bytes", bytes.applyAsLong(side))
                .endObject();
        }
        json.endObject();
    }
}
