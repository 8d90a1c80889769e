package io.vtep.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One MAC of zebra's EVPN table for a VNI, from {@code show evpn mac vni N json} (FRR 8.4):
 * {@code {"numMacs": 2, "macs": {"aa:..": {"type": "local", "intf": "eth1", "localSequence": 0,
 * "remoteSequence": 0, "detectionCount": 0, "isDuplicate": false}, "bb:..": {"type": "remote",
 * "remoteVtep": "192.0.2.2", ...}}}}. The sequence numbers are the MAC mobility ones (RFC 7432 §15).
 *
 * @param mac            lower case
 * @param type           "local" or "remote" (or "auto" for placeholder entries)
 * @param intf           the local access interface, or null
 * @param remoteVtep     the remote VTEP for remote MACs, or null
 * @param localSequence  the sequence number this router advertises for it
 * @param remoteSequence the highest sequence number received for it
 * @param duplicate      zebra flagged it as duplicate (too many moves)
 */
public record FrrEvpnMac(String mac, String type, String intf, String remoteVtep,
    long localSequence, long remoteSequence, boolean duplicate)
{

    public boolean isLocal()
    {
        return "local".equals(type);
    }

    public boolean isRemote()
    {
        return "remote".equals(type);
    }

    public static List<FrrEvpnMac> parse(String json)
    {
        List<FrrEvpnMac> macs = new ArrayList<>();
        if (json == null || json.isBlank())
        {
            return macs;
        }
        if (Json.at(Json.parse(json), "macs") instanceof Map<?, ?> map)
        {
            for (Map.Entry<?, ?> e : map.entrySet())
            {
                if (e.getValue() instanceof Map<?, ?> m)
                {
                    macs.add(new FrrEvpnMac(e.getKey().toString().toLowerCase(),
                        String.valueOf(m.get("type")),
                        m.get("intf") == null ? null : m.get("intf").toString(),
                        m.get("remoteVtep") == null ? null : m.get("remoteVtep").toString(),
                        m.get("localSequence") instanceof Number n ? n.longValue() : 0,
                        m.get("remoteSequence") instanceof Number n ? n.longValue() : 0,
                        Boolean.TRUE.equals(m.get("isDuplicate"))));
                }
            }
        }
        return macs;
    }
}
