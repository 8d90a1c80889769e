package io.vtep.core.lacp;

import io.vtep.encap.MacAddress;

/**
 * One side's information in a LACPDU (IEEE 802.1AX-2014 §6.4.2.3, the Actor and Partner TLVs):
 * who the system is, which key (aggregation group) and port, and its state bits ({@link LacpState}).
 *
 * @param systemPriority 0..65535, lower wins where the two systems must agree on something
 * @param system         the system ID, a MAC address in the low 48 bits
 * @param key            the operational key: ports with the same key may aggregate
 * @param portPriority   0..65535
 * @param port           the port number, 1..65535 (0 is not a port)
 * @param state          {@link LacpState} bits
 */
public record LacpParticipant(int systemPriority, long system, int key, int portPriority, int port, int state)
{
    /** The administrative default partner (§6.4.7, Partner_Admin_*): nobody, all zero. */
    public static final LacpParticipant NONE = new LacpParticipant(0, 0L, 0, 0, 0, 0);

    /**
     * Whether two participants are the same port of the same system in the same aggregation group
     * (§6.4.9, recordPDU / update_Selected compare these five): the state bits are not compared.
     */
    public boolean samePort(final LacpParticipant other)
    {
        return systemPriority == other.systemPriority && system == other.system && key == other.key &&
            portPriority == other.portPriority && port == other.port;
    }

    public LacpParticipant withState(final int newState)
    {
        return new LacpParticipant(systemPriority, system, key, portPriority, port, newState);
    }

    @Override
    public String toString()
    {
        return "(" + systemPriority + "," + MacAddress.format(system) + "," + key + "," + portPriority + "," + port + ") [" +
            LacpState.describe(state) + "]";
    }
}
