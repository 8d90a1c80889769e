package io.vtep.core.api;

import java.util.Locale;

import io.vtep.core.lacp.LacpParticipant;
import io.vtep.core.lacp.LacpPort;
import io.vtep.core.lacp.LacpState;
import io.vtep.core.lacp.LacpStatus;
import io.vtep.encap.MacAddress;

/**
 * A port's LACP state in {@code GET /api/v1/ports}: {@code {"distributing", "receive_state",
 * "mux_state", "pdus_in", "pdus_out", "malformed", "actor": {…}, "partner": {…}}}, each participant
 * as {@code {"system_priority", "system", "key", "port_priority", "port", "state": [bit names]}}.
 */
final class LacpDocument
{
    private LacpDocument()
    {
    }

    static void write(final JsonWriter json, final LacpPort port)
    {
        final LacpStatus status = port.status();
        json.beginObject()
            .field("distributing", status.distributing())
            .field("receive_state", status.receiveState().name().toLowerCase(Locale.ROOT))
            .field("mux_state", status.muxState().name().toLowerCase(Locale.ROOT))
            .field("pdus_in", port.pdusReceived())
            .field("pdus_out", port.pdusSent())
            .field("malformed", port.malformed());
        participant(json.name("actor"), status.actor());
        participant(json.name("partner"), status.partner());
        json.endObject();
    }

    private static void participant(final JsonWriter json, final LacpParticipant participant)
    {
        json.beginObject()
            .field("system_priority", participant.systemPriority())
            .field("system", MacAddress.format(participant.system()))
            .field("key", participant.key())
            .field("port_priority", participant.portPriority())
            .field("port", participant.port())
            .name("state").beginArray();
        for (final String bit : LacpState.names(participant.state()))
        {
            json.value(bit);
        }
        json.endArray().endObject();
    }
}
