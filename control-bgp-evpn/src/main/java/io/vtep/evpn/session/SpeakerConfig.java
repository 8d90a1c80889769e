package io.vtep.evpn.session;

import java.net.InetAddress;
import java.util.List;

/**
 * The BGP speaker: local AS, router id, where it listens, and its neighbors.
 *
 * @param localAs        4-octet capable local AS (RFC 6793)
 * @param routerId       BGP identifier (RFC 4271 §4.2), an IPv4 address
 * @param listenAddress  address the passive side binds (null = any)
 * @param listenPort     179 unless set (tests use another to run several speakers)
 * @param neighbors      configured peers; connections from other addresses are refused
 */
public record SpeakerConfig(long localAs, InetAddress routerId, InetAddress listenAddress, int listenPort, List<PeerConfig> neighbors)
{
    public SpeakerConfig
    {
        neighbors = List.copyOf(neighbors);
    }
}
