package io.vtep.core.lacp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vtep.encap.MacAddress;

/** LACPDU encoding and decoding against bytes written by hand from IEEE 802.1AX-2014 §6.4.2.3, figure 6-7. */
class LacpPduTest
{
    /**
     * A LACPDU as a server's bond sends it once in sync: actor 00:11:22:33:44:55 key 17 port 2,
     * partner vtep's 02:00:00:00:00:0a key 5 port 1.
     */
    static final byte[] GOLDEN = bytes(
        // Ethernet: Slow_Protocols_Multicast, source, EtherType 0x8809
        "01 80 c2 00 00 02", "00 11 22 33 44 55", "88 09",
        "01", // subtype: LACP
        "01", // version 1
        "01 14", // TLV actor information, length 20
        "80 00", // actor system priority 32768
        "00 11 22 33 44 55", // actor system
        "00 11", // actor key 17
        "00 ff", // actor port priority 255
        "00 02", // actor port 2
        "3d", // actor state: activity, aggregation, sync, collecting, distributing (0b0011_1101)
        "00 00 00", // reserved
        "02 14", // TLV partner information, length 20
        "ff ff", // partner system priority 65535
        "02 00 00 00 00 0a", // partner system
        "00 05", // partner key 5
        "00 ff", // partner port priority 255
        "00 01", // partner port 1
        "3f", // partner state: activity, short timeout, aggregation, sync, collecting, distributing
        "00 00 00", // reserved
        "03 10", // TLV collector information, length 16
        "00 00", // CollectorMaxDelay 0
        "00".repeat(12).replace("00", "00 ").strip(), // reserved
        "00 00", // terminator TLV, length 0
        "00 ".repeat(50).strip()); // reserved

    static final LacpPdu GOLDEN_PDU = new LacpPdu(
        new LacpParticipant(32768, MacAddress.parse("00:11:22:33:44:55"), 17, 255, 2, 0x3d),
        new LacpParticipant(65535, MacAddress.parse("02:00:00:00:00:0a"), 5, 255, 1, 0x3f), 0);

    /**
     * Open vSwitch 3.1.0's LACPDU, captured (tcpdump -xx) on the far end of one member of a userspace
     * bond ({@code lacp=active}, {@code lacp-time=fast}) that had no partner yet: actor state 0xbf
     * (OVS marks itself in sync, collecting and distributing while its receive machine is EXPIRED),
     * partner all zero but the short-timeout bit it asks for.
     */
    static final byte[] OPEN_VSWITCH = bytes(
        "0180 c200 0002 2a63 1a24 f455 8809 0101",
        "0114 fffe fe8a d865 784b 0001 ffff 0002",
        "bf00 0000 0214 0000 0000 0000 0000 0000",
        "0000 0000 0200 0000 0310 0000 0000 0000",
        "0000 0000 0000 0000 0000 0000 0000 0000",
        "0000 0000 0000 0000 0000 0000 0000 0000",
        "0000 0000 0000 0000 0000 0000 0000 0000",
        "0000 0000 0000 0000 0000 0000");

    @Test
    void readsAndWritesOpenVswitchsOwnLacpdu() throws MalformedLacpduException
    {
        final LacpPdu pdu = LacpPdu.decodeFrame(new UnsafeBuffer(OPEN_VSWITCH), 0, OPEN_VSWITCH.length);
        assertEquals(new LacpParticipant(65534, MacAddress.parse("fe:8a:d8:65:78:4b"), 1, 65535, 2, 0xbf), pdu.actor());
        assertEquals(LacpParticipant.NONE.withState(LacpState.TIMEOUT), pdu.partner());
        assertEquals("activity timeout aggregation synchronization collecting distributing expired",
            LacpState.describe(pdu.actor().state()));
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(LacpPdu.FRAME_LENGTH));
        final int length = pdu.encodeFrame(buffer, 0, MacAddress.parse("2a:63:1a:24:f4:55"));
        final byte[] written = new byte[length];
        buffer.getBytes(0, written);
        assertArrayEquals(OPEN_VSWITCH, written, "the same bytes back");
    }

    @Test
    void goldenIsAFullSizeLacpdu()
    {
        assertEquals(LacpPdu.FRAME_LENGTH, GOLDEN.length);
        assertEquals(124, GOLDEN.length);
    }

    @Test
    void decodesTheGoldenBytes() throws MalformedLacpduException
    {
        final LacpPdu pdu = LacpPdu.decodeFrame(new UnsafeBuffer(GOLDEN), 0, GOLDEN.length);
        assertEquals(GOLDEN_PDU, pdu);
        assertEquals("activity aggregation synchronization collecting distributing", LacpState.describe(pdu.actor().state()));
    }

    @Test
    void encodesTheGoldenBytes()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(200));
        buffer.setMemory(0, 200, (byte)0x5a); // every reserved octet must be written as zero
        final int length = GOLDEN_PDU.encodeFrame(buffer, 10, MacAddress.parse("00:11:22:33:44:55"));
        final byte[] written = new byte[length];
        buffer.getBytes(10, written);
        assertArrayEquals(GOLDEN, written);
    }

    @Test
    void aLaterVersionIsReadByItsVersionOneFields() throws MalformedLacpduException
    {
        final byte[] v2 = GOLDEN.clone();
        v2[15] = 2;
        assertEquals(GOLDEN_PDU, LacpPdu.decodeFrame(new UnsafeBuffer(v2), 0, v2.length));
    }

    @Test
    void refusesWhatIsNoLacpdu()
    {
        final byte[] marker = GOLDEN.clone();
        marker[14] = (byte)SlowProtocols.SUBTYPE_MARKER;
        assertEquals("LACPDU subtype: found 2, expected 1", assertThrows(MalformedLacpduException.class,
            () -> LacpPdu.decodeFrame(new UnsafeBuffer(marker), 0, marker.length)).getMessage());

        final byte[] badLength = GOLDEN.clone();
        badLength[14 + 23] = 19;
        assertEquals("LACPDU partner information length: found 19, expected 20", assertThrows(MalformedLacpduException.class,
            () -> LacpPdu.decodeFrame(new UnsafeBuffer(badLength), 0, badLength.length)).getMessage());

        assertEquals("LACPDU frame length: found 60, expected 124", assertThrows(MalformedLacpduException.class,
            () -> LacpPdu.decodeFrame(new UnsafeBuffer(GOLDEN), 0, 60)).getMessage());
    }

    @Test
    void slowProtocolFramesAreToldByTheirEtherType()
    {
        assertTrue(SlowProtocols.isSlowProtocol(new UnsafeBuffer(GOLDEN), 0));
        final byte[] ipv4 = GOLDEN.clone();
        ipv4[12] = 0x08;
        ipv4[13] = 0x00;
        assertFalse(SlowProtocols.isSlowProtocol(new UnsafeBuffer(ipv4), 0));
    }

    static byte[] bytes(final String... hex)
    {
        final String all = String.join(" ", hex).replaceAll("\\s+", "");
        final byte[] out = new byte[all.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = (byte)Integer.parseInt(all.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
