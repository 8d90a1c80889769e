package io.vtep.evpn.session;

import java.net.Inet4Address;

import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.OpenMessage;

/**
 * What the two OPENs of a session settled (RFC 4271 §4.2, RFC 5492, RFC 6793).
 *
 * @param remoteAs         the peer's AS (from its 4-octet AS capability when present).
 * @param remoteRouterId   the peer's BGP identifier.
 * @param holdTimeSeconds  the smaller of both proposals; 0 = no hold timer and no KEEPALIVEs.
 * @param keepaliveSeconds hold / 3 (at least 1), or 0 when the hold time is 0.
 * @param codecContext     4-octet AS when both sides announced it; 4096-octet messages (vtep does
 *                         not offer RFC 8654 extended messages).
 * @param routeRefresh     the peer announced route refresh (RFC 2918, or Cisco's code 128).
 * @param remoteOpen       the peer's OPEN as received.
 */
public record NegotiatedSession(
    long remoteAs,
    Inet4Address remoteRouterId,
    int holdTimeSeconds,
    int keepaliveSeconds,
    CodecContext codecContext,
    boolean routeRefresh,
    OpenMessage remoteOpen)
{
}
