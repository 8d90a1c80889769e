package io.vtep.evpn.codec;

import static io.vtep.evpn.codec.Bytes.concat;
import static io.vtep.evpn.codec.Bytes.hex;
import static io.vtep.evpn.codec.Bytes.of;
import static io.vtep.evpn.codec.Bytes.ones;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vtep.evpn.codec.attr.Aggregator;
import io.vtep.evpn.codec.attr.AttributeType;
import io.vtep.evpn.codec.attr.LocalPref;
import io.vtep.evpn.codec.attr.OriginAttribute;
import io.vtep.evpn.codec.nlri.EvpnMac;
import io.vtep.evpn.codec.nlri.MacIpAdvertisementRoute;
import io.vtep.evpn.codec.nlri.RouteDistinguisher;
import io.vtep.evpn.codec.nlri.UnknownEvpnRoute;

/**
 * Bad input: truncated at every length, lengths that lie, wrong flags, duplicates, malformed
 * values of every attribute and route type. Each case states the NOTIFICATION (code/subcode) the
 * session resets with, or the RFC 7606 action the decoded UPDATE reports.
 */
class MalformedInputTest
{
    private static final CodecContext AS4 = CodecContext.FOUR_OCTET_AS;
    private static final CodecContext AS2 = CodecContext.TWO_OCTET_AS;

    /** What a case must produce. */
    sealed interface Outcome
    {
    }

    /**
     * The session resets with this NOTIFICATION.
     *
     * @param code    error code.
     * @param subcode error subcode.
     * @param data    the NOTIFICATION data in hex, or {@code null} to not check it.
     */
    record Reset(int code, int subcode, String data) implements Outcome
    {
        @Override
        public String toString()
        {
            return "reset " + code + "/" + subcode;
        }
    }

    /**
     * The UPDATE decodes and RFC 7606 softens the error to this action.
     *
     * @param action  the strongest action.
     * @param subcode the subcode of an error with that action.
     */
    record Soft(ErrorAction action, ErrorSubcode subcode) implements Outcome
    {
        @Override
        public String toString()
        {
            return action + " " + subcode.subcode();
        }
    }

    /** Decodes without any error. */
    record Fine() implements Outcome
    {
        @Override
        public String toString()
        {
            return "fine";
        }
    }

    static Reset reset(final ErrorSubcode subcode)
    {
        return new Reset(subcode.code(), subcode.subcode(), null);
    }

    static Reset reset(final ErrorSubcode subcode, final String data)
    {
        return new Reset(subcode.code(), subcode.subcode(), data);
    }

    static Soft withdraw(final ErrorSubcode subcode)
    {
        return new Soft(ErrorAction.TREAT_AS_WITHDRAW, subcode);
    }

    static Soft discard(final ErrorSubcode subcode)
    {
        return new Soft(ErrorAction.ATTRIBUTE_DISCARD, subcode);
    }

    /**
     * @param flags attribute flags; Extended Length picks the 2-octet length.
     * @param type  type code.
     * @param value the value octets.
     * @return the attribute with a truthful length.
     */
    static byte[] attr(final int flags, final int type, final byte[] value)
    {
        return (flags & 0x10) != 0 ? concat(of(flags, type, value.length >>> 8, value.length), value) :
            concat(of(flags, type, value.length), value);
    }

    static byte[] attr(final int flags, final int type, final int... value)
    {
        return attr(flags, type, of(value));
    }

    static final byte[] RD = of(0x00, 0x01, 0xc6, 0x33, 0x64, 0x01, 0x00, 0x02);
    static final byte[] TYPE_2_ROUTE = concat(of(0x02, 0x21), RD, new byte[10], of(0, 0, 0, 0), of(0x30, 0x02, 0x20, 0, 0, 0, 0x01),
        of(0x00), of(0, 0, 0x64));
    static final MacIpAdvertisementRoute TYPE_2 =
        MacIpAdvertisementRoute.of(RouteDistinguisher.parse("198.51.100.1:2"), EvpnMac.parse("02:20:00:00:00:01"), null, 100);

    static byte[] mpReach(final byte[]... routes)
    {
        return attr(0x90, 14, concat(of(0x00, 0x19, 0x46, 0x04, 0xc6, 0x33, 0x64, 0x01, 0x00), concat(routes)));
    }

    static byte[] mpUnreach(final byte[]... routes)
    {
        return attr(0x90, 15, concat(of(0x00, 0x19, 0x46), concat(routes)));
    }

    static final byte[] MP_REACH = mpReach(TYPE_2_ROUTE);
    static final byte[] ORIGIN = attr(0x40, 1, 0);
    static final byte[] AS_PATH = attr(0x40, 2);
    static final byte[] LOCAL_PREF = attr(0x40, 5, 0, 0, 0, 100);
    static final byte[] EXT_COMM = attr(0xc0, 16, 0x03, 0x0c, 0, 0, 0, 0, 0, 8, 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 100);

    /** A well-formed EVPN type-2 UPDATE with one attribute replaced (null: dropped) or added. */
    static byte[] evpn(final int replacedType, final byte[] replacement)
    {
        final List<byte[]> attributes = new ArrayList<>(List.of(MP_REACH, ORIGIN, AS_PATH, LOCAL_PREF, EXT_COMM));
        final int[] types = {14, 1, 2, 5, 16};
        final int index = IntStream.range(0, types.length).filter(i -> types[i] == replacedType).findFirst().orElse(-1);
        if (index >= 0)
        {
            if (replacement == null)
            {
                attributes.remove(index);
            }
            else
            {
                attributes.set(index, replacement);
            }
        }
        else
        {
            attributes.add(replacement);
        }
        return Updates.withAttributes(attributes.toArray(byte[][]::new));
    }

    static byte[] evpnPlus(final byte[] extra)
    {
        return evpn(-1, extra);
    }

    static byte[] header(final int length, final int type, final byte[] body)
    {
        return concat(ones(16), of(length >>> 8, length, type), body);
    }

    static Stream<Arguments> cases()
    {
        final List<Arguments> cases = new ArrayList<>();
        final byte[] keepalive = header(19, 4, new byte[0]);
        // --- RFC 4271 §6.1 header ---
        for (int i = 0; i < 16; i++)
        {
            final byte[] bad = keepalive.clone();
            bad[i] = (byte)0xfe;
            cases.add(arguments("marker octet " + i + " not 0xff", AS4, bad, reset(ErrorSubcode.CONNECTION_NOT_SYNCHRONIZED, "")));
        }
        cases.add(arguments("length 0", AS4, header(0, 4, new byte[0]), reset(ErrorSubcode.BAD_MESSAGE_LENGTH, "0000")));
        cases.add(arguments("length 18 < 19", AS4, header(18, 4, new byte[0]), reset(ErrorSubcode.BAD_MESSAGE_LENGTH, "0012")));
        cases.add(arguments("length 4097 > 4096", AS4, header(4097, 2, new byte[4078]), reset(ErrorSubcode.BAD_MESSAGE_LENGTH, "1001")));
        cases.add(arguments("length 65535 without extended messages", AS4, header(65535, 2, new byte[65516]),
            reset(ErrorSubcode.BAD_MESSAGE_LENGTH, "ffff")));
        cases.add(arguments("type 0", AS4, header(19, 0, new byte[0]), reset(ErrorSubcode.BAD_MESSAGE_TYPE, "00")));
        cases.add(arguments("type 6", AS4, header(19, 6, new byte[0]), reset(ErrorSubcode.BAD_MESSAGE_TYPE, "06")));
        cases.add(arguments("type 255", AS4, header(19, 255, new byte[0]), reset(ErrorSubcode.BAD_MESSAGE_TYPE, "ff")));
        cases.add(arguments("KEEPALIVE of 20", AS4, header(20, 4, of(0)), reset(ErrorSubcode.BAD_MESSAGE_LENGTH, "0014")));
        cases.add(arguments("OPEN of 28", AS4, header(28, 1, new byte[9]), reset(ErrorSubcode.BAD_MESSAGE_LENGTH, "001c")));
        cases.add(arguments("UPDATE of 22", AS4, header(22, 2, new byte[3]), reset(ErrorSubcode.BAD_MESSAGE_LENGTH, "0016")));
        cases.add(arguments("NOTIFICATION of 20", AS4, header(20, 3, of(6)), reset(ErrorSubcode.BAD_MESSAGE_LENGTH, "0014")));
        // --- ROUTE-REFRESH, RFC 7313 §5: data is the whole message ---
        final byte[] shortRefresh = header(22, 5, of(0, 25, 0));
        cases.add(arguments("ROUTE-REFRESH of 22", AS4, shortRefresh, reset(ErrorSubcode.INVALID_MESSAGE_LENGTH, hex(shortRefresh))));
        final byte[] longBorr = header(24, 5, of(0, 25, 1, 70, 0));
        cases.add(arguments("BoRR of 24", AS4, longBorr, reset(ErrorSubcode.INVALID_MESSAGE_LENGTH, hex(longBorr))));
        cases.add(arguments("ROUTE-REFRESH with ORF entries", AS4, header(27, 5, of(0, 1, 0, 1, 1, 2, 3, 4)), new Fine()));
        cases.add(arguments("ROUTE-REFRESH subtype 9 decodes (the speaker ignores it)", AS4, header(23, 5, of(0, 25, 9, 70)), new Fine()));
        // --- OPEN, RFC 4271 §6.2 ---
        final byte[] open = GoldenMessageTest.FRR_OPEN;
        cases.add(arguments("OPEN version 3", AS4, patch(open, 19, 3), reset(ErrorSubcode.UNSUPPORTED_VERSION_NUMBER, "0004")));
        cases.add(arguments("OPEN hold time 1", AS4, patch(open, 22, 0, 1), reset(ErrorSubcode.UNACCEPTABLE_HOLD_TIME)));
        cases.add(arguments("OPEN hold time 2", AS4, patch(open, 22, 0, 2), reset(ErrorSubcode.UNACCEPTABLE_HOLD_TIME)));
        cases.add(arguments("OPEN hold time 0 is fine", AS4, patch(open, 22, 0, 0), new Fine()));
        cases.add(arguments("OPEN hold time 3 is fine", AS4, patch(open, 22, 0, 3), new Fine()));
        cases.add(arguments("OPEN BGP Identifier 0", AS4, patch(open, 24, 0, 0, 0, 0), reset(ErrorSubcode.BAD_BGP_IDENTIFIER)));
        cases.add(arguments("OPEN Opt Parm Len longer than the message", AS4, patch(open, 28, 71), reset(ErrorSubcode.OPEN_UNSPECIFIC)));
        cases.add(arguments("OPEN Opt Parm Len shorter than the message", AS4, patch(open, 28, 69), reset(ErrorSubcode.OPEN_UNSPECIFIC)));
        cases.add(arguments("OPEN parameter type 1 (authentication)", AS4, patch(open, 29, 1),
            reset(ErrorSubcode.UNSUPPORTED_OPTIONAL_PARAMETER)));
        cases.add(arguments("OPEN parameter length past the end", AS4, patch(open, 89, 12), reset(ErrorSubcode.OPEN_UNSPECIFIC)));
        cases.add(arguments("OPEN capability length past its parameter", AS4, patch(open, 32, 5), reset(ErrorSubcode.OPEN_UNSPECIFIC)));
        cases.add(arguments("OPEN capability with a 1-octet tail", AS4,
            header(32, 1, concat(of(4, 0xfd, 0xe8, 0, 90, 192, 0, 2, 1), of(3, 2, 1, 1))), reset(ErrorSubcode.OPEN_UNSPECIFIC)));
        cases.add(arguments("OPEN multiprotocol capability of 3 octets is kept unknown", AS4,
            header(36, 1, concat(of(4, 0xfd, 0xe8, 0, 90, 192, 0, 2, 1), of(7, 2, 5, 1, 3, 0x00, 0x19, 0x46))), new Fine()));
        // --- UPDATE framing, RFC 4271 §6.3 and RFC 7606 §3, §4, §5.3 ---
        cases.add(arguments("Withdrawn Routes Length past the end", AS4, header(23, 2, of(0, 1, 0, 0)),
            reset(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        cases.add(arguments("Withdrawn Routes Length leaves no room for Total Path Attribute Length", AS4,
            header(25, 2, of(0, 3, 8, 10, 0, 0)), reset(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        cases.add(arguments("Total Path Attribute Length past the end", AS4, header(27, 2, of(0, 0, 0, 5, 0x40, 1, 1, 0)),
            reset(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        cases.add(arguments("withdrawn prefix length 33", AS4, Updates.update(of(33, 10, 0, 0, 0, 0), new byte[0], new byte[0]),
            reset(ErrorSubcode.INVALID_NETWORK_FIELD)));
        cases.add(arguments("withdrawn /24 with 2 octets", AS4, Updates.update(of(24, 10, 0), new byte[0], new byte[0]),
            reset(ErrorSubcode.INVALID_NETWORK_FIELD)));
        cases.add(arguments("NLRI prefix length 40", AS4, Updates.update(new byte[0], concat(ORIGIN, AS_PATH,
            attr(0x40, 3, 192, 0, 2, 1)), of(40, 1, 2, 3, 4, 5)), reset(ErrorSubcode.INVALID_NETWORK_FIELD)));
        cases.add(arguments("NLRI /24 with 2 octets (NLRI length mismatch)", AS4, Updates.update(new byte[0], concat(ORIGIN, AS_PATH,
            attr(0x40, 3, 192, 0, 2, 1)), of(24, 10, 0)), reset(ErrorSubcode.INVALID_NETWORK_FIELD)));
        cases.add(arguments("attribute length past the end of the attributes", AS4,
            Updates.withAttributes(MP_REACH, ORIGIN, AS_PATH, of(0x40, 5, 9, 0, 0, 0, 100)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("2 octets left after the last attribute", AS4, Updates.withAttributes(MP_REACH, ORIGIN, AS_PATH, of(0x40, 5)),
            withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("Extended Length header cut at 3 octets", AS4, Updates.withAttributes(MP_REACH, ORIGIN, AS_PATH, of(0x50, 5, 0)),
            withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("MP_REACH_NLRI length past the end: its routes are lost", AS4,
            Updates.withAttributes(ORIGIN, AS_PATH, Arrays.copyOf(MP_REACH, MP_REACH.length - 1)), reset(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("MP_UNREACH_NLRI length past the end", AS4,
            Updates.withAttributes(of(0x90, 15, 0, 9, 0, 25, 70)), reset(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        // --- attribute flags, RFC 7606 §3 ---
        cases.add(arguments("ORIGIN flagged optional", AS4, evpn(1, attr(0xc0, 1, 0)), withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("ORIGIN not transitive", AS4, evpn(1, attr(0x00, 1, 0)), withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("LOCAL_PREF partial", AS4, evpn(5, attr(0x60, 5, 0, 0, 0, 100)), withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("AS_PATH optional", AS4, evpn(2, attr(0x80, 2)), withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("MULTI_EXIT_DISC transitive", AS4, evpnPlus(attr(0xc0, 4, 0, 0, 0, 1)),
            withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("ATOMIC_AGGREGATE optional", AS4, evpnPlus(attr(0xc0, 6)), withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("COMMUNITIES non-transitive", AS4, evpnPlus(attr(0x80, 8, 0, 0, 0, 1)),
            withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("ORIGINATOR_ID partial (optional non-transitive)", AS4, evpnPlus(attr(0xa0, 9, 1, 2, 3, 4)),
            withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("MP_REACH_NLRI transitive", AS4, evpn(14, mpReachWithFlags(0xd0)), withdraw(ErrorSubcode.ATTRIBUTE_FLAGS_ERROR)));
        cases.add(arguments("EXTENDED_COMMUNITIES partial is allowed", AS4, evpn(16, withFlags(EXT_COMM, 0xe0)), new Fine()));
        cases.add(arguments("unused flag bits are ignored", AS4, evpn(1, attr(0x4f, 1, 0)), new Fine()));
        cases.add(arguments("unrecognized well-known attribute", AS4, evpnPlus(attr(0x40, 99, 1)),
            reset(ErrorSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, "406301" + "01")));
        // --- malformed values, RFC 7606 §7 ---
        cases.add(arguments("ORIGIN length 2", AS4, evpn(1, attr(0x40, 1, 0, 0)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("ORIGIN length 0", AS4, evpn(1, attr(0x40, 1)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("ORIGIN value 3", AS4, evpn(1, attr(0x40, 1, 3)), withdraw(ErrorSubcode.INVALID_ORIGIN_ATTRIBUTE)));
        cases.add(arguments("AS_PATH segment type 5", AS4, evpn(2, attr(0x40, 2, 5, 1, 0, 0, 0xfd, 0xe8)),
            withdraw(ErrorSubcode.MALFORMED_AS_PATH)));
        cases.add(arguments("AS_PATH segment type 0", AS4, evpn(2, attr(0x40, 2, 0, 1, 0, 0, 0xfd, 0xe8)),
            withdraw(ErrorSubcode.MALFORMED_AS_PATH)));
        cases.add(arguments("AS_PATH segment of 0 ASes", AS4, evpn(2, attr(0x40, 2, 2, 0)), withdraw(ErrorSubcode.MALFORMED_AS_PATH)));
        cases.add(arguments("AS_PATH segment overruns", AS4, evpn(2, attr(0x40, 2, 2, 2, 0, 0, 0xfd, 0xe8)),
            withdraw(ErrorSubcode.MALFORMED_AS_PATH)));
        cases.add(arguments("AS_PATH 1 octet left over", AS4, evpn(2, attr(0x40, 2, 2, 1, 0, 0, 0xfd, 0xe8, 2)),
            withdraw(ErrorSubcode.MALFORMED_AS_PATH)));
        cases.add(arguments("AS_PATH 4-octet path read on a 2-octet session", AS2, evpn(2, attr(0x40, 2, 2, 1, 0, 0, 0xfd, 0xe8)),
            withdraw(ErrorSubcode.MALFORMED_AS_PATH)));
        cases.add(arguments("NEXT_HOP length 5", AS4, Updates.update(new byte[0], concat(ORIGIN, AS_PATH, attr(0x40, 3, 192, 0, 2, 1, 0)),
            of(8, 10)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("MULTI_EXIT_DISC length 3", AS4, evpnPlus(attr(0x80, 4, 0, 0, 1)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("LOCAL_PREF length 5", AS4, evpn(5, attr(0x40, 5, 0, 0, 0, 0, 100)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("ATOMIC_AGGREGATE length 1", AS4, evpnPlus(attr(0x40, 6, 0)), discard(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("AGGREGATOR length 7", AS4, evpnPlus(attr(0xc0, 7, 0, 0, 0xfd, 0xe8, 192, 0, 2)),
            discard(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("AGGREGATOR length 8 on a 2-octet session", AS2, evpnPlus(attr(0xc0, 7, 0, 0, 0xfd, 0xe8, 192, 0, 2, 1)),
            discard(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("COMMUNITIES length 0", AS4, evpnPlus(attr(0xc0, 8)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("COMMUNITIES length 6", AS4, evpnPlus(attr(0xc0, 8, 0, 0, 0, 1, 0, 0)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("ORIGINATOR_ID length 3", AS4, evpnPlus(attr(0x80, 9, 1, 2, 3)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("CLUSTER_LIST length 0", AS4, evpnPlus(attr(0x80, 10)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("CLUSTER_LIST length 5", AS4, evpnPlus(attr(0x80, 10, 1, 2, 3, 4, 5)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("EXTENDED_COMMUNITIES length 0", AS4, evpn(16, attr(0xc0, 16)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("EXTENDED_COMMUNITIES length 7", AS4, evpn(16, attr(0xc0, 16, 3, 12, 0, 0, 0, 0, 0)),
            withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("PMSI_TUNNEL length 4", AS4, evpnPlus(attr(0xc0, 22, 0, 6, 0, 0)), withdraw(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("PMSI_TUNNEL ingress replication with a 5-octet endpoint", AS4,
            evpnPlus(attr(0xc0, 22, 0, 6, 0, 0, 100, 198, 51, 100, 1, 0)), withdraw(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("AS4_PATH segment overruns", AS4, evpnPlus(attr(0xc0, 17, 2, 2, 0, 0, 0xfd, 0xe8)),
            discard(ErrorSubcode.MALFORMED_AS_PATH)));
        cases.add(arguments("AS4_AGGREGATOR length 6", AS4, evpnPlus(attr(0xc0, 18, 0xfd, 0xe8, 192, 0, 2, 1)),
            discard(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        // --- MP_REACH_NLRI / MP_UNREACH_NLRI, RFC 7606 §7.11 and §5.3: reset ---
        cases.add(arguments("MP_REACH_NLRI length 4", AS4, evpn(14, attr(0x80, 14, 0, 25, 70, 4)), reset(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("MP_REACH_NLRI EVPN next hop length 5", AS4,
            evpn(14, attr(0x90, 14, concat(of(0, 25, 70, 5, 198, 51, 100, 1, 1, 0), TYPE_2_ROUTE))),
            reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("MP_REACH_NLRI next hop length past the attribute", AS4, evpn(14, attr(0x90, 14, 0, 25, 70, 200, 1, 2)),
            reset(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("EVPN route length past the attribute (NLRI length mismatch)", AS4,
            evpn(14, mpReach(Arrays.copyOf(TYPE_2_ROUTE, TYPE_2_ROUTE.length - 1))), reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("EVPN NLRI with one octet left over", AS4, evpn(14, mpReach(TYPE_2_ROUTE, of(2))),
            reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("EVPN type 2 MAC length 40", AS4, evpn(14, mpReach(patch(TYPE_2_ROUTE, 24, 40))),
            reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("EVPN type 2 IP length 24", AS4, evpn(14, mpReach(patch(TYPE_2_ROUTE, 31, 24))),
            reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("EVPN type 2 IP length 32 in a 33-octet route", AS4, evpn(14, mpReach(patch(TYPE_2_ROUTE, 31, 32))),
            reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("EVPN type 3 IP length 24", AS4,
            evpn(14, mpReach(concat(of(3, 17), RD, of(0, 0, 0, 0, 24, 198, 51, 100, 1)))), reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("EVPN type 3 IP length 128 in a 17-octet route", AS4,
            evpn(14, mpReach(concat(of(3, 17), RD, of(0, 0, 0, 0, 128, 198, 51, 100, 1)))), reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        cases.add(arguments("EVPN type 5 prefix length 33", AS4, evpn(14, mpReach(concat(of(5, 34), RD, new byte[14], of(33),
            new byte[11]))), reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        for (int type = 1; type <= 5; type++)
        {
            cases.add(arguments("EVPN type " + type + " of length 0 (GoBGP bad-len corpus shape)", AS4,
                Updates.withAttributes(mpUnreach(of(type, 0))), reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        }
        cases.add(arguments("MP_UNREACH_NLRI length 2", AS4, Updates.withAttributes(attr(0x80, 15, 0, 25)),
            reset(ErrorSubcode.ATTRIBUTE_LENGTH_ERROR)));
        cases.add(arguments("EVPN type 9 is kept opaque, not an error (RFC 7606 §5.4)", AS4,
            evpn(14, mpReach(TYPE_2_ROUTE, of(9, 2, 0xaa, 0xbb))), new Fine()));
        // --- duplicates, RFC 7606 §3 ---
        cases.add(arguments("ORIGIN twice", AS4, evpnPlus(attr(0x40, 1, 2)), discard(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        cases.add(arguments("LOCAL_PREF twice", AS4, evpnPlus(attr(0x40, 5, 0, 0, 0, 200)), discard(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        cases.add(arguments("unknown optional attribute twice", AS4,
            Updates.withAttributes(MP_REACH, ORIGIN, AS_PATH, attr(0xc0, 99, 1), attr(0xc0, 99, 2)),
            discard(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        cases.add(arguments("malformed repeat of a good ORIGIN is only discarded", AS4, evpnPlus(attr(0x40, 1, 7)),
            discard(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        cases.add(arguments("MP_REACH_NLRI twice", AS4, evpnPlus(MP_REACH), reset(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        cases.add(arguments("MP_UNREACH_NLRI twice", AS4, Updates.withAttributes(mpUnreach(TYPE_2_ROUTE), mpUnreach()),
            reset(ErrorSubcode.MALFORMED_ATTRIBUTE_LIST)));
        // --- missing well-known mandatory attributes, RFC 7606 §3 ---
        cases.add(arguments("MP_REACH_NLRI without ORIGIN", AS4, evpn(1, null), withdraw(ErrorSubcode.MISSING_WELL_KNOWN_ATTRIBUTE)));
        cases.add(arguments("MP_REACH_NLRI without AS_PATH", AS4, evpn(2, null), withdraw(ErrorSubcode.MISSING_WELL_KNOWN_ATTRIBUTE)));
        cases.add(arguments("IPv4 NLRI without NEXT_HOP", AS4, Updates.update(new byte[0], concat(ORIGIN, AS_PATH), of(8, 10)),
            withdraw(ErrorSubcode.MISSING_WELL_KNOWN_ATTRIBUTE)));
        cases.add(arguments("MP_UNREACH_NLRI alone needs nothing else", AS4, Updates.withAttributes(mpUnreach(TYPE_2_ROUTE)), new Fine()));
        cases.add(arguments("no LOCAL_PREF is the speaker's concern (iBGP only)", AS4, evpn(5, null), new Fine()));
        // --- several errors: the strongest wins ---
        cases.add(arguments("ATOMIC_AGGREGATE discard + ORIGIN withdraw", AS4,
            Updates.withAttributes(MP_REACH, attr(0x40, 1, 9), AS_PATH, attr(0x40, 6, 0)), withdraw(ErrorSubcode.INVALID_ORIGIN_ATTRIBUTE)));
        cases.add(arguments("ORIGIN withdraw + bad MP_REACH_NLRI reset", AS4,
            Updates.withAttributes(attr(0x40, 1, 9), AS_PATH, mpReach(of(2, 0))), reset(ErrorSubcode.OPTIONAL_ATTRIBUTE_ERROR)));
        return cases.stream();
    }

    static byte[] patch(final byte[] bytes, final int offset, final int... values)
    {
        final byte[] copy = bytes.clone();
        for (int i = 0; i < values.length; i++)
        {
            copy[offset + i] = (byte)values[i];
        }
        return copy;
    }

    static byte[] withFlags(final byte[] attribute, final int flags)
    {
        return patch(attribute, 0, flags);
    }

    static byte[] mpReachWithFlags(final int flags)
    {
        return withFlags(MP_REACH, flags);
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("cases")
    void badInputHasTheRightOutcome(final String name, final CodecContext context, final byte[] message, final Outcome outcome)
    {
        switch (outcome)
        {
            case Reset reset ->
            {
                final BgpDecodeException ex = assertThrows(BgpDecodeException.class, () -> BgpCodec.decode(message, context),
                    name + " must reset the session");
                assertEquals(reset.code(), ex.code(), ex.getMessage());
                assertEquals(reset.subcode(), ex.subcode(), ex.getMessage());
                assertEquals(ErrorAction.SESSION_RESET, ex.action());
                assertEquals(ex.code(), ex.notification().code());
                if (reset.data() != null)
                {
                    assertEquals(reset.data(), ex.data().toString(), "NOTIFICATION data");
                }
                if (reset.code() == ErrorCode.MESSAGE_HEADER_ERROR.code())
                {
                    assertInstanceOf(MessageHeaderException.class, ex);
                }
            }
            case Soft soft ->
            {
                final UpdateMessage update = assertInstanceOf(UpdateMessage.class, BgpCodec.decode(message, context));
                assertEquals(soft.action(), update.action(), update.errors().toString());
                assertTrue(update.errors().stream().anyMatch(error -> error.action() == soft.action() && error.subcode() == soft.subcode()),
                    "expected a " + soft + " error in " + update.errors());
                assertEquals(hex(message), hex(BgpCodec.encode(update, context)), "a malformed UPDATE still re-encodes as received");
                assertEquals(update, BgpCodec.decode(BgpCodec.encode(update, context), context));
            }
            case Fine fine ->
            {
                final BgpMessage decoded = BgpCodec.decode(message, context);
                if (decoded instanceof UpdateMessage update)
                {
                    assertEquals(ErrorAction.NONE, update.action(), update.errors().toString());
                }
                assertEquals(hex(message), hex(BgpCodec.encode(decoded, context)));
            }
        }
    }

    static Stream<Arguments> goldenMessages()
    {
        return Stream.of(
            arguments("KEEPALIVE", header(19, 4, new byte[0])),
            arguments("OPEN (FRR)", GoldenMessageTest.FRR_OPEN),
            arguments("NOTIFICATION (FRR hard reset)", header(23, 3, of(6, 9, 6, 4))),
            arguments("ROUTE-REFRESH", header(23, 5, of(0, 25, 0, 70))),
            arguments("UPDATE type 2 (FRR)", GoldenMessageTest.FRR_TYPE_2_UPDATE),
            arguments("UPDATE type 3 (FRR)", GoldenMessageTest.FRR_TYPE_3_UPDATE),
            arguments("UPDATE End-of-RIB (FRR)", header(29, 2, of(0, 0, 0, 6, 0x80, 15, 3, 0, 25, 70))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenMessages")
    void truncatedAtEveryLengthTheFramerWaits(final String name, final byte[] message)
    {
        for (int length = 0; length < message.length; length++)
        {
            final ByteBuf prefix = Unpooled.wrappedBuffer(message, 0, length);
            final int frame = BgpCodec.frameLength(prefix, AS4);
            if (length < BgpCodec.HEADER_LENGTH)
            {
                assertEquals(-1, frame, "header incomplete at " + length);
            }
            else
            {
                assertEquals(message.length, frame, "frame length known from the header at " + length);
            }
            final int cut = length;
            assertThrows(IllegalArgumentException.class, () -> BgpCodec.decode(Unpooled.wrappedBuffer(message, 0, cut), AS4),
                "decode of " + length + " of " + message.length + " octets");
            assertEquals(0, prefix.readerIndex(), "frameLength consumes nothing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenMessages")
    void truncatedAtEveryLengthWithALyingHeader(final String name, final byte[] message)
    {
        final MessageType type = MessageType.of(message[18]);
        for (int length = 0; length < message.length; length++)
        {
            // The header claims exactly what is there: everything inside is now too long.
            final byte[] truncated = Arrays.copyOf(message, Math.max(length, BgpCodec.HEADER_LENGTH));
            truncated[16] = (byte)(length >>> 8);
            truncated[17] = (byte)length;
            final int cut = length;
            final String what = name + " cut to " + length;
            try
            {
                final BgpMessage decoded = BgpCodec.decode(truncated, AS4);
                // Only a NOTIFICATION may legitimately shrink: its data is free-form.
                assertInstanceOf(NotificationMessage.class, decoded, what + " decoded as " + decoded);
                assertEquals(hex(truncated), hex(BgpCodec.encode(decoded, AS4)));
            }
            catch (final BgpDecodeException ex)
            {
                final ErrorSubcode expected;
                if (cut < BgpCodec.HEADER_LENGTH || cut < type.minLength())
                {
                    expected = ErrorSubcode.BAD_MESSAGE_LENGTH;
                }
                else
                {
                    expected = switch (type)
                    {
                        case OPEN -> ErrorSubcode.OPEN_UNSPECIFIC;
                        case UPDATE -> ErrorSubcode.MALFORMED_ATTRIBUTE_LIST;
                        case ROUTE_REFRESH -> ErrorSubcode.INVALID_MESSAGE_LENGTH;
                        default -> null;
                    };
                }
                assertEquals(expected, ex.errorSubcode(), what + ": " + ex.getMessage());
                if (expected == ErrorSubcode.BAD_MESSAGE_LENGTH)
                {
                    assertEquals(cut, ex.measured(), "measured size");
                    assertTrue(ex.expectedMin() > cut, "expected size " + ex.expectedMin() + " stated");
                }
            }
            catch (final RuntimeException ex)
            {
                fail(what + " threw " + ex + " instead of a BgpDecodeException", ex);
            }
        }
    }

    @Test
    void treatAsWithdrawMovesTheRoutesToWithdrawn()
    {
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(evpn(5, attr(0x40, 5, 0, 0, 100)), AS4);
        assertEquals(ErrorAction.TREAT_AS_WITHDRAW, update.action());
        assertEquals(List.of(), update.advertisedEvpnRoutes());
        assertEquals(List.of(TYPE_2), update.withdrawnEvpnRoutes());
        assertEquals(AttributeType.LOCAL_PREF, update.errors().getFirst().attributeType());
        assertEquals("40050300" + "0064", update.errors().getFirst().data().toString(), "data: the attribute");
    }

    @Test
    void treatAsWithdrawStillFindsRoutesOfAnMpReachWithWrongFlags()
    {
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(evpn(14, mpReachWithFlags(0xd0)), AS4);
        assertEquals(ErrorAction.TREAT_AS_WITHDRAW, update.action());
        assertEquals(List.of(TYPE_2), update.withdrawnEvpnRoutes());
    }

    @Test
    void attributeDiscardKeepsTheRoutes()
    {
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(evpnPlus(attr(0xc0, 7, 0, 0, 0xfd, 0xe8, 192, 0, 2)), AS4);
        assertEquals(ErrorAction.ATTRIBUTE_DISCARD, update.action());
        assertEquals(List.of(TYPE_2), update.advertisedEvpnRoutes());
        assertTrue(update.attribute(Aggregator.class).isEmpty());
        assertEquals(6, update.pathAttributes().size(), "kept for re-encoding");
        assertEquals(5, update.effectivePathAttributes().size(), "but not acted on");
    }

    @Test
    void repeatsAreDiscardedAndTheFirstWins()
    {
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(evpnPlus(attr(0x40, 5, 0, 0, 0, 200)), AS4);
        assertEquals(100, update.attribute(LocalPref.class).orElseThrow().value());
        assertEquals(List.of(TYPE_2), update.advertisedEvpnRoutes());
        final UpdateMessage origins = (UpdateMessage)BgpCodec.decode(evpnPlus(attr(0x40, 1, 7)), AS4);
        assertEquals(OriginAttribute.IGP, origins.attribute(OriginAttribute.class).orElseThrow());
    }

    @Test
    void missingMandatoryAttributeDataIsItsTypeCode()
    {
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(evpn(1, null), AS4);
        assertEquals("01", update.errors().getFirst().data().toString());
        assertEquals(NotificationMessage.of(ErrorSubcode.MISSING_WELL_KNOWN_ATTRIBUTE, Octets.of(1)), update.errors().getFirst().notification());
    }

    @Test
    void unknownEvpnRouteTypesAreKeptBesideKnownOnes()
    {
        final UpdateMessage update = (UpdateMessage)BgpCodec.decode(evpn(14, mpReach(TYPE_2_ROUTE, of(9, 2, 0xaa, 0xbb))), AS4);
        assertEquals(List.of(TYPE_2, new UnknownEvpnRoute(9, Octets.of(0xaa, 0xbb))), update.advertisedEvpnRoutes());
    }

    @Test
    void extendedMessagesAreAcceptedOnlyWhenNegotiated()
    {
        final byte[] unknown = attr(0xd0, 99, new byte[5000]);
        final byte[] big = Updates.withAttributes(MP_REACH, ORIGIN, AS_PATH, unknown);
        final MessageHeaderException ex = assertThrows(MessageHeaderException.class, () -> BgpCodec.decode(big, AS4));
        assertEquals(big.length, ex.measured());
        assertEquals(4096, ex.expectedMax());
        final BgpMessage decoded = BgpCodec.decode(big, AS4.withExtendedMessages());
        assertEquals(hex(big), hex(BgpCodec.encode(decoded, AS4.withExtendedMessages())));
        assertThrows(IllegalArgumentException.class, () -> BgpCodec.encode(decoded, AS4), "too big to send without RFC 8654");
    }
}
