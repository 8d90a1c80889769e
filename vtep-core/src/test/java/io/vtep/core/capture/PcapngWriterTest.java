package io.vtep.core.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Golden bytes of the pcapng blocks a capture stream is made of. The bytes below were checked once
 * with tshark 4.0.17 (Debian 12), written to a file and read back:
 * {@code tshark -r golden.pcapng -T fields -e frame.time_epoch -e frame.len -e frame.cap_len
 * -e frame.comment -e frame.packet_flags_direction -e frame.packet_flags_reception_type
 * -e frame.interface_name} printed
 * {@code 1733369400.123456789  60  20  access acc1 -> vtep 192.0.2.2  0x2  1  vni100}, and
 * {@code capinfos} read the statistics block without complaint.
 */
class PcapngWriterTest
{
    // @formatter:off: golden octets, a comment above each block
    static final String GOLDEN =
        // Section Header Block: byte-order magic, version 1.0, section length -1, shb_userappl "vtep capture"
        "0a0d0d0a300000004d3c2b1a01000000ffffffffffffffff04000c007674657020636170747572650000000030000000" +
        // Interface Description Block: Ethernet, snaplen 20, if_name "vni100", if_description "VNI 100", if_tsresol 9
        "0100000038000000010000001400000002000600766e69313030000003000700564e4920313030000900010009000000" +
        "0000000038000000" +
        // Enhanced Packet Block: interface 0, timestamp, 20 of 60 bytes, the bytes, opt_comment, epb_flags 0x6
        "060000006400000000000000492a0e1815fde31e140000003c000000000102030405060708090a0b0c0d0e0f10111213" +
        "01001d006163636573732061636331202d3e2076746570203139322e302e322e32000000020004000600000000000000" +
        "64000000" +
        // Interface Statistics Block: isb_starttime, isb_endtime, isb_ifrecv 3, isb_ifdrop 1, isb_usrdeliv 2
        "050000005800000000000000492a0e1800fa225302000800492a0e180030881703000800492a0e1800fa225304000800" +
        "03000000000000000500080001000000000000000800080002000000000000000000000058000000";
    // @formatter:on

    @Test
    void writesTheBlocksTsharkReads()
    {
        final ByteBuf out = Unpooled.buffer();
        PcapngWriter.sectionHeader(out, "vtep capture");
        PcapngWriter.interfaceDescription(out, "vni100", "VNI 100", 20);
        final byte[] frame = new byte[60];
        for (int i = 0; i < frame.length; i++)
        {
            frame[i] = (byte)i;
        }
        PcapngWriter.enhancedPacket(out, 1_733_369_400_123_456_789L, new UnsafeBuffer(frame), 0, 20, 60,
            PcapngWriter.OUTBOUND | PcapngWriter.UNICAST, "access acc1 -> vtep 192.0.2.2");
        PcapngWriter.interfaceStatistics(out, 1_733_369_401_000_000_000L, 1_733_369_400_000_000_000L, 3, 1, 2);
        final String hex = HexFormat.of().formatHex(ByteBufUtil.getBytes(out));
        assertEquals(GOLDEN, hex);
    }
}
