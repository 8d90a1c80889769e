package io.vtep.evpn.session;

import java.net.Inet4Address;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * GTSM, the Generalized TTL Security Mechanism (RFC 5082): a neighbor at most N hops away sends
 * with TTL 255, so anything that arrives with a TTL below 256 - N was sent from further away and
 * is dropped by the kernel before TCP sees it (RFC 5082 §3). Linux does the check with IP_MINTTL
 * (IPv4) / IPV6_MINHOPCOUNT (IPv6), and we send with IP_TTL / IPV6_UNICAST_HOPS 255. Netty has no
 * named option for these; its raw integer option reaches setsockopt on epoll channels. As FRR's
 * {@code neighbor X ttl-security hops N}.
 */
final class TtlSecurity
{
    private static final int IPPROTO_IP = 0;
    private static final int IPPROTO_IPV6 = 41;
    static final ChannelOption<Integer> IP_TTL = new IntegerUnixChannelOption("IP_TTL", IPPROTO_IP, 2);
    static final ChannelOption<Integer> IP_MINTTL = new IntegerUnixChannelOption("IP_MINTTL", IPPROTO_IP, 21);
    static final ChannelOption<Integer> IPV6_UNICAST_HOPS = new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", IPPROTO_IPV6, 16);
    static final ChannelOption<Integer> IPV6_MINHOPCOUNT = new IntegerUnixChannelOption("IPV6_MINHOPCOUNT", IPPROTO_IPV6, 73);
    static final int MAX_TTL = 255;

    private TtlSecurity()
    {
    }

    /** @return the smallest TTL accepted from a neighbor {@code hops} away (RFC 5082 §3). */
    static int minimumTtl(final int hops)
    {
        return MAX_TTL + 1 - hops;
    }

    /**
     * Applies GTSM to a connection of {@code peer}, before anything is sent on it. An IPv4
     * neighbor on an IPv6 (dual-stack) socket is reached through the socket's IPv4 options.
     *
     * @return false if the kernel refused an option (the connection must then not be used).
     */
    static boolean apply(final Channel channel, final PeerConfig peer)
    {
        if (peer.ttlSecurityHops() == 0)
        {
            return true;
        }
        final boolean ipv4 = peer.address() instanceof Inet4Address;
        final boolean ttl = channel.config().setOption(ipv4 ? IP_TTL : IPV6_UNICAST_HOPS, MAX_TTL);
        final boolean min = channel.config().setOption(ipv4 ? IP_MINTTL : IPV6_MINHOPCOUNT, minimumTtl(peer.ttlSecurityHops()));
        return ttl && min;
    }
}
