package io.vtep.evpn.codec.attr;

import io.netty.buffer.ByteBuf;
import io.vtep.evpn.codec.CodecContext;

/**
 * A path attribute of an UPDATE (RFC 4271 §4.3): flags octet, type code, length, value.
 *
 * <pre>
 *  +---------------+---------------+------------------------+--------------------+
 *  | Attr. Flags   | Attr. Type    | Length (1, or 2 if E)  | Value (Length)     |
 *  +---------------+---------------+------------------------+--------------------+
 * </pre>
 *
 * Every attribute keeps the flags octet it was received with (Extended Length included), so
 * decoding and re-encoding gives back the same octets; {@link PathAttributes#encode} also sets
 * Extended Length when a value outgrows 255 octets. Attributes built by vtep use the flags their
 * RFC requires.
 */
public sealed interface PathAttribute
    permits OriginAttribute, AsPath, NextHop, MultiExitDisc, LocalPref, AtomicAggregate, Aggregator, Communities, OriginatorId,
    ClusterList, MpReachNlri, MpUnreachNlri, ExtendedCommunities, As4Path, As4Aggregator, PmsiTunnel, UnknownAttribute,
    MalformedAttribute
{
    /** @return the flags octet. */
    int flags();

    /** @return the type code, or -1 for a malformed run of octets too short to have one. */
    int typeCode();

    /**
     * @param out     the value (not the header) is written at its writer index.
     * @param context the session's encoding options.
     */
    void encodeValue(ByteBuf out, CodecContext context);
}
