package io.vtep.evpn.session;

import java.net.InetAddress;

/**
 * One configured BGP neighbor.
 *
 * @param address      the neighbor's address (sessions are accepted from, and opened to, it)
 * @param remoteAs     its AS; equal to the local AS means iBGP
 * @param port         its BGP port (179; tests may use another)
 * @param passive      never open a connection, only accept one
 * @param holdSeconds  hold time proposed in OPEN (0 or 3..65535; RFC 4271 §4.2); keepalive = hold / 3
 * @param localAddress the source address for connections we open (update-source); null = the kernel's choice
 */
public record PeerConfig(InetAddress address, long remoteAs, int port, boolean passive, int holdSeconds, InetAddress localAddress)
{
}
