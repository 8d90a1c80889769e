package io.vtep.core.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vtep.core.api.CliFormat;

/**
 * {@code vtep es show} ({@code es} alone too): the Ethernet segments of a running vtep (EVPN
 * multihoming) from {@code GET /api/v1/es}, a line per segment and VNI, in the manner of FRR's
 * {@code show evpn es}; {@code --json} prints the API's document. A segment of one VLAN of a port
 * ({@code vlan-segments}) shows as {@code acc1.10}, as the API names attachments.
 *
 * <pre>
 * ESI                            PORT  STATE  ALGORITHM  PEERS      VNI  DF
 * 00:11:22:33:44:55:66:77:88:99  acc1  up     modulo     192.0.2.2  100  192.0.2.1 (this vtep)
 * ES 00:11:22:33:44:55:66:77:88:99 on acc1: lacp distributing, partner 00:11:22:33:44:55 key 1 port 2 (current)
 * </pre>
 *
 * A segment whose port runs LACP gets a line under the table: with LACP the segment is up only
 * while LACP distributes, so the line says why one is down.
 */
final class EsShowCommand extends QueryCommand
{
    EsShowCommand(final CliContext context)
    {
        super(context, "/api/v1/es", EsShowCommand::table);
    }

    static String table(final Map<String, Object> document)
    {
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ESI", "PORT", "STATE", "ALGORITHM", "PEERS", "VNI", "DF"));
        for (final Map<String, Object> segment : CliFormat.objects(document.get("segments")))
        {
            final List<Map<String, Object>> forwarders = CliFormat.objects(segment.get("designated_forwarders"));
            if (forwarders.isEmpty())
            {
                rows.add(List.of(CliFormat.text(segment.get("esi")), port(segment), CliFormat.text(segment.get("state")),
                    CliFormat.text(segment.get("df_algorithm")), CliFormat.joined(segment.get("peers")), "-", "-"));
            }
            for (final Map<String, Object> forwarder : forwarders)
            {
                final Object vtep = forwarder.get("vtep");
                final String df = vtep == null ? "(election pending)" :
                    CliFormat.text(vtep) + (Boolean.TRUE.equals(forwarder.get("local")) ? " (this vtep)" : "");
                rows.add(List.of(CliFormat.text(segment.get("esi")), port(segment), CliFormat.text(segment.get("state")),
                    CliFormat.text(segment.get("df_algorithm")), CliFormat.joined(segment.get("peers")), CliFormat.text(forwarder.get("vni")), df));
            }
        }
        final StringBuilder out = new StringBuilder(CliFormat.table(rows));
        for (final Map<String, Object> segment : CliFormat.objects(document.get("segments")))
        {
            if (segment.get("lacp") instanceof Map<?, ?>)
            {
                out.append("ES ").append(CliFormat.text(segment.get("esi"))).append(" on ").append(port(segment))
                    .append(": lacp ").append(CliFormat.lacp(segment.get("lacp"))).append('\n');
            }
        }
        for (final Map<String, Object> remote : CliFormat.objects(document.get("remote")))
        {
            out.append("remote ES ").append(CliFormat.text(remote.get("esi"))).append(": ").append(CliFormat.joined(remote.get("vteps")))
                .append('\n');
        }
        return out.toString();
    }

    /** {@code acc1}, or {@code acc1.10} for the segment of VLAN 10 of acc1. */
    private static String port(final Map<String, Object> segment)
    {
        final Object vlan = segment.get("vlan");
        return CliFormat.text(segment.get("port")) + (vlan == null ? "" : "." + CliFormat.text(vlan));
    }
}
