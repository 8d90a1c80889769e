package io.vtep.core.lacp;

import io.vtep.encap.VtepAddress;

/**
 * Who vtep says it is in LACP on one access port (IEEE 802.1AX-2014 §6.3.2, §6.3.4, §6.3.5): the
 * system (priority and ID), the aggregation key, and the port (priority and number).
 *
 * <p>On an EVPN Ethernet segment (RFC 7432 §8) two gateways each hold one link of the server's LAG.
 * The server aggregates links only when their partners are one system with one key (§6.4.14.1), so
 * both gateways must present the same system ID and key: {@link #fromEsi} derives them from the
 * ESI, which both have in their configuration, without any protocol between them. The port number
 * must differ, or the server would see one port twice: {@link #portNumberFor} takes it from the
 * gateway's own VTEP address.
 *
 * @param systemPriority Actor_System_Priority, 65535 (the lowest) unless configured
 * @param system         Actor_System, a MAC address in the low 48 bits
 * @param key            Actor_Oper_Key
 * @param portPriority   Actor_Port_Priority
 * @param port           Actor_Port, 1..65535
 */
public record LacpActorIdentity(int systemPriority, long system, int key, int portPriority, int port)
{
    /** The lowest priority: the server's bond, not vtep, decides where both must agree (§6.4.14.1). */
    public static final int DEFAULT_SYSTEM_PRIORITY = 65535;
    /** Linux bonding's and Open vSwitch's default port priority. */
    public static final int DEFAULT_PORT_PRIORITY = 255;
    /** RFC 7432 §5: the octets of an Ethernet Segment Identifier, type octet first. */
    public static final int ESI_LENGTH = 10;
    /** RFC 7432 §5, type 3: MAC-based, a system MAC (octets 1-6) and a local discriminator (7-9). */
    public static final int ESI_TYPE_MAC = 3;

    public LacpActorIdentity
    {
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("LACP port number " + port + " is out of range 1..65535");
        }
    }

    /**
     * The system ID and key of an Ethernet segment, identical on every gateway configured with the
     * same ESI; port number 1 until {@link #withPort} gives the gateway's own.
     *
     * <ul>
     * <li>Type 3 (MAC-based, as FRR's {@code es-sys-mac} and {@code es-id} make it): the system MAC
     * in the ESI is the system ID, and the low 16 bits of the local discriminator the key.</li>
     * <li>Any other type (type 0, operator-set, above all): a locally administered unicast MAC made
     * from octets 1-6 with octets 7-9 folded into the last three (so that ESIs differing only in
     * their last octets still differ), and octets 8-9 as the key. A type-1 ESI holds the server's
     * own LACP system MAC in octets 1-6; the fold and the local bit keep vtep's system ID from
     * being the server's.</li>
     * </ul>
     */
    public static LacpActorIdentity fromEsi(final byte[] esi)
    {
        if (esi.length != ESI_LENGTH)
        {
            throw new IllegalArgumentException("an ESI has 10 octets, found " + esi.length);
        }
        final int key = (esi[8] & 0xFF) << 8 | esi[9] & 0xFF;
        long system = 0;
        for (int i = 1; i <= 6; i++)
        {
            system = system << 8 | esi[i] & 0xFF;
        }
        if ((esi[0] & 0xFF) != ESI_TYPE_MAC)
        {
            system ^= (esi[7] & 0xFFL) << 16 | (esi[8] & 0xFFL) << 8 | esi[9] & 0xFFL;
            // IEEE 802 first octet: bit 1 locally administered, bit 0 group (a system ID is unicast).
            system = (system | 0x0200_0000_0000L) & ~0x0100_0000_0000L;
        }
        return new LacpActorIdentity(DEFAULT_SYSTEM_PRIORITY, system, key, DEFAULT_PORT_PRIORITY, 1);
    }

    /**
     * A port number for this gateway on a segment: the low 16 bits of its VTEP address (so two
     * gateways whose addresses differ there present two ports to the server), 1 when those are 0.
     * Gateways whose addresses share their last two octets need {@code lacp.port-number}.
     */
    public static int portNumberFor(final VtepAddress local)
    {
        final int low = (int)((local.isIpv6() ? local.ipv6Low() : local.ipv4()) & 0xFFFF);
        return low == 0 ? 1 : low;
    }

    public LacpActorIdentity withPort(final int newPort)
    {
        return new LacpActorIdentity(systemPriority, system, key, portPriority, newPort);
    }

    public LacpActorIdentity withSystemPriority(final int newPriority)
    {
        return new LacpActorIdentity(newPriority, system, key, portPriority, port);
    }

    /** The actor information of a LACPDU with these state bits. */
    public LacpParticipant withState(final int state)
    {
        return new LacpParticipant(systemPriority, system, key, portPriority, port, state);
    }
}
