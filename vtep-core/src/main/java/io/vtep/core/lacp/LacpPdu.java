package io.vtep.core.lacp;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.vtep.encap.EthernetHeader;
import io.vtep.encap.MacAddress;

/**
 * A LACPDU (IEEE 802.1AX-2014 §6.4.2.3, figure 6-7), version 1, as it follows the Ethernet header
 * (destination {@link SlowProtocols#MULTICAST}, EtherType {@link SlowProtocols#ETHER_TYPE}):
 *
 * <pre>
 *   offset  octets  field
 *    0      1       Subtype = 1 (LACP)
 *    1      1       Version Number = 1
 *    2      1       TLV_type = 1 (Actor Information)
 *    3      1       Actor_Information_Length = 20
 *    4      2       Actor_System_Priority
 *    6      6       Actor_System
 *   12      2       Actor_Key
 *   14      2       Actor_Port_Priority
 *   16      2       Actor_Port
 *   18      1       Actor_State
 *   19      3       Reserved
 *   22      1       TLV_type = 2 (Partner Information)
 *   23      1       Partner_Information_Length = 20
 *   24     20       Partner_* as the actor's, from offset 4
 *   42      1       TLV_type = 3 (Collector Information)
 *   43      1       Collector_Information_Length = 16
 *   44      2       CollectorMaxDelay (tens of microseconds)
 *   46     12       Reserved
 *   58      1       TLV_type = 0 (Terminator)
 *   59      1       Terminator_Length = 0
 *   60     50       Reserved
 *  110              end
 * </pre>
 *
 * All fields are big-endian. A receiver of a higher version parses the version-1 fields and
 * ignores the rest (§6.4.2.3, item b), so only the subtype, the TLV types and their lengths are
 * checked.
 *
 * @param actor             the sender's information
 * @param partner           what the sender knows of the receiver
 * @param collectorMaxDelay the sender's CollectorMaxDelay, in tens of microseconds
 */
public record LacpPdu(LacpParticipant actor, LacpParticipant partner, int collectorMaxDelay)
{
    /** The LACPDU after the Ethernet header. */
    public static final int LENGTH = 110;
    /** Ethernet header and LACPDU, without the FCS: 124 bytes (above Ethernet's 60-byte minimum). */
    public static final int FRAME_LENGTH = EthernetHeader.LENGTH + LENGTH;

    static final int SUBTYPE_OFFSET = 0;
    static final int VERSION_OFFSET = 1;
    static final int ACTOR_TLV_OFFSET = 2;
    static final int PARTNER_TLV_OFFSET = 22;
    static final int COLLECTOR_TLV_OFFSET = 42;
    static final int TERMINATOR_TLV_OFFSET = 58;
    static final int VERSION = 1;
    static final int TLV_ACTOR = 1;
    static final int TLV_PARTNER = 2;
    static final int TLV_COLLECTOR = 3;
    static final int TLV_TERMINATOR = 0;
    static final int INFORMATION_LENGTH = 20;
    static final int COLLECTOR_LENGTH = 16;

    // Within an Actor or Partner TLV, from its type octet.
    private static final int SYSTEM_PRIORITY = 2;
    private static final int SYSTEM = 4;
    private static final int KEY = 10;
    private static final int PORT_PRIORITY = 12;
    private static final int PORT = 14;
    private static final int STATE = 16;

    /**
     * Writes the whole frame: Ethernet header from {@code sourceMac} (the port's own address, as
     * §6.4.2.2 asks) to the Slow Protocols address, then the LACPDU with every reserved octet zero.
     *
     * @return {@link #FRAME_LENGTH}
     */
    public int encodeFrame(final MutableDirectBuffer buffer, final int offset, final long sourceMac)
    {
        MacAddress.put(buffer, offset + EthernetHeader.DESTINATION_OFFSET, SlowProtocols.MULTICAST);
        MacAddress.put(buffer, offset + EthernetHeader.SOURCE_OFFSET, sourceMac);
        buffer.putShort(offset + EthernetHeader.ETHER_TYPE_OFFSET, (short)SlowProtocols.ETHER_TYPE, ByteOrder.BIG_ENDIAN);
        final int pdu = offset + EthernetHeader.LENGTH;
        buffer.setMemory(pdu, LENGTH, (byte)0);
        buffer.putByte(pdu + SUBTYPE_OFFSET, (byte)SlowProtocols.SUBTYPE_LACP);
        buffer.putByte(pdu + VERSION_OFFSET, (byte)VERSION);
        putParticipant(buffer, pdu + ACTOR_TLV_OFFSET, TLV_ACTOR, actor);
        putParticipant(buffer, pdu + PARTNER_TLV_OFFSET, TLV_PARTNER, partner);
        buffer.putByte(pdu + COLLECTOR_TLV_OFFSET, (byte)TLV_COLLECTOR);
        buffer.putByte(pdu + COLLECTOR_TLV_OFFSET + 1, (byte)COLLECTOR_LENGTH);
        buffer.putShort(pdu + COLLECTOR_TLV_OFFSET + 2, (short)collectorMaxDelay, ByteOrder.BIG_ENDIAN);
        // Terminator: type 0, length 0, already zero.
        return FRAME_LENGTH;
    }

    /**
     * Reads the LACPDU of a frame whose Ethernet header starts at {@code offset}.
     *
     * @throws MalformedLacpduException when it is no version-1-compatible LACPDU, saying which field
     *     is off, what it held and what was expected
     */
    public static LacpPdu decodeFrame(final DirectBuffer buffer, final int offset, final int frameLength)
        throws MalformedLacpduException
    {
        if (frameLength < FRAME_LENGTH)
        {
            throw new MalformedLacpduException("frame length", frameLength, FRAME_LENGTH);
        }
        final int etherType = buffer.getShort(offset + EthernetHeader.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (etherType != SlowProtocols.ETHER_TYPE)
        {
            throw new MalformedLacpduException("EtherType", etherType, SlowProtocols.ETHER_TYPE);
        }
        final int pdu = offset + EthernetHeader.LENGTH;
        expect(buffer, pdu + SUBTYPE_OFFSET, "subtype", SlowProtocols.SUBTYPE_LACP);
        final int version = buffer.getByte(pdu + VERSION_OFFSET) & 0xFF;
        if (version < VERSION)
        {
            throw new MalformedLacpduException("version", version, VERSION);
        }
        expect(buffer, pdu + ACTOR_TLV_OFFSET, "actor TLV type", TLV_ACTOR);
        expect(buffer, pdu + ACTOR_TLV_OFFSET + 1, "actor information length", INFORMATION_LENGTH);
        expect(buffer, pdu + PARTNER_TLV_OFFSET, "partner TLV type", TLV_PARTNER);
        expect(buffer, pdu + PARTNER_TLV_OFFSET + 1, "partner information length", INFORMATION_LENGTH);
        expect(buffer, pdu + COLLECTOR_TLV_OFFSET, "collector TLV type", TLV_COLLECTOR);
        expect(buffer, pdu + COLLECTOR_TLV_OFFSET + 1, "collector information length", COLLECTOR_LENGTH);
        return new LacpPdu(participant(buffer, pdu + ACTOR_TLV_OFFSET), participant(buffer, pdu + PARTNER_TLV_OFFSET),
            buffer.getShort(pdu + COLLECTOR_TLV_OFFSET + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }

    private static void expect(final DirectBuffer buffer, final int at, final String field, final int expected)
        throws MalformedLacpduException
    {
        final int found = buffer.getByte(at) & 0xFF;
        if (found != expected)
        {
            throw new MalformedLacpduException(field, found, expected);
        }
    }

    private static void putParticipant(final MutableDirectBuffer buffer, final int tlv, final int type,
        final LacpParticipant participant)
    {
        buffer.putByte(tlv, (byte)type);
        buffer.putByte(tlv + 1, (byte)INFORMATION_LENGTH);
        buffer.putShort(tlv + SYSTEM_PRIORITY, (short)participant.systemPriority(), ByteOrder.BIG_ENDIAN);
        MacAddress.put(buffer, tlv + SYSTEM, participant.system());
        buffer.putShort(tlv + KEY, (short)participant.key(), ByteOrder.BIG_ENDIAN);
        buffer.putShort(tlv + PORT_PRIORITY, (short)participant.portPriority(), ByteOrder.BIG_ENDIAN);
        buffer.putShort(tlv + PORT, (short)participant.port(), ByteOrder.BIG_ENDIAN);
        buffer.putByte(tlv + STATE, (byte)participant.state());
    }

    private static LacpParticipant participant(final DirectBuffer buffer, final int tlv)
    {
        return new LacpParticipant(
            buffer.getShort(tlv + SYSTEM_PRIORITY, ByteOrder.BIG_ENDIAN) & 0xFFFF,
            MacAddress.get(buffer, tlv + SYSTEM),
            buffer.getShort(tlv + KEY, ByteOrder.BIG_ENDIAN) & 0xFFFF,
            buffer.getShort(tlv + PORT_PRIORITY, ByteOrder.BIG_ENDIAN) & 0xFFFF,
            buffer.getShort(tlv + PORT, ByteOrder.BIG_ENDIAN) & 0xFFFF,
            buffer.getByte(tlv + STATE) & 0xFF);
    }
}
