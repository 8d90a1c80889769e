package io.vtep.core.config;

import io.vtep.core.lacp.LacpActorIdentity;
import io.vtep.encap.VtepAddress;

/**
 * LACP on an access port ({@code ports[].lacp}, IEEE 802.1AX), for a server whose LAG has one link
 * to each gateway of an EVPN Ethernet segment: both gateways must present the same system ID and
 * key, each its own port number (docs/architecture.md §12).
 *
 * @param mode           active (sends LACPDUs unasked), passive (answers an active partner) or off
 * @param fastRate       {@code rate: fast}: the partner is asked for a LACPDU every second and given up after 3 s
 *                       ({@code slow}: 30 s and 90 s)
 * @param systemPriority Actor_System_Priority
 * @param systemMac      the system ID: {@code system-mac}, or derived from the port's ESI
 * @param key            the aggregation key: {@code key}, or derived from the port's ESI
 * @param portNumber     {@code port-number}; 0 = from the low 16 bits of {@code vtep.local-ip}
 */
public record LacpConfig(LacpMode mode, boolean fastRate, int systemPriority, long systemMac, int key, int portNumber)
{
    /** No LACP: the default. */
    public static final LacpConfig OFF = new LacpConfig(LacpMode.OFF, true, LacpActorIdentity.DEFAULT_SYSTEM_PRIORITY, 0, 0,
        0);

    public boolean isOn()
    {
        return mode != LacpMode.OFF;
    }

    /** Who the port is in LACP, its port number resolved against this gateway's VTEP address. */
    public LacpActorIdentity identity(final VtepAddress localIp)
    {
        return new LacpActorIdentity(systemPriority, systemMac, key, LacpActorIdentity.DEFAULT_PORT_PRIORITY,
            portNumber != 0 ? portNumber : LacpActorIdentity.portNumberFor(localIp));
    }
}
