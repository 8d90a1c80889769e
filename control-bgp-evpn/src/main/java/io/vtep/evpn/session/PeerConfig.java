package io.vtep.evpn.session;

import java.net.InetAddress;

/**
 * One configured BGP neighbor.
 *
 * @param address        the neighbor's address (sessions are accepted from, and opened to, it)
 * @param remoteAs       its AS; equal to the local AS means iBGP
 * @param port           its BGP port (179; tests may use another)
 * @param passive        never open a connection, only accept one
 * @param holdSeconds    hold time proposed in OPEN (0 or 3..65535; RFC 4271 §4.2); keepalive = hold / 3
 * @param localAddress   the source address for connections we open (update-source); null = the kernel's choice
 * @param maximumPrefix  how many routes it may make us hold ({@link MaximumPrefix#DEFAULT} unless configured)
 * @param password       TCP-MD5 key (RFC 2385) for its connections, 1..80 octets; null = none. Never logged:
 *                       {@link #toString} masks it
 * @param minimumHoldSeconds the smallest hold time accepted in its OPEN (0 accepts anything RFC 4271 allows);
 *                       a smaller one, or 0 when this is not 0, gets OPEN Message Error / Unacceptable Hold Time
 * @param ttlSecurityHops GTSM (RFC 5082): 1..254 hops away at most, so its packets must arrive with a TTL (hop
 *                       limit) of at least 256 - hops, and ours leave with 255; 0 = off
 */
public record PeerConfig(InetAddress address, long remoteAs, int port, boolean passive, int holdSeconds, InetAddress localAddress,
    MaximumPrefix maximumPrefix, String password, int minimumHoldSeconds, int ttlSecurityHops)
{
    /** RFC 4271 §4.2 allows 0 or at least 3 s: 3 refuses a peer that would turn liveness checks off. */
    public static final int DEFAULT_MINIMUM_HOLD_SECONDS = 3;
    /** Linux's TCP_MD5SIG_MAXKEYLEN. */
    public static final int MAX_PASSWORD_LENGTH = 80;

    /** Checks the new fields. */
    public PeerConfig
    {
        if (maximumPrefix == null)
        {
            maximumPrefix = MaximumPrefix.DEFAULT;
        }
        if (password != null && (password.isEmpty() || password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_LENGTH))
        {
            throw new IllegalArgumentException("TCP-MD5 password must be 1.." + MAX_PASSWORD_LENGTH + " octets");
        }
        if (minimumHoldSeconds < 0 || minimumHoldSeconds > 65535)
        {
            throw new IllegalArgumentException("minimum hold time must be 0..65535: " + minimumHoldSeconds);
        }
        if (ttlSecurityHops < 0 || ttlSecurityHops > 254)
        {
            throw new IllegalArgumentException("ttl-security hops must be 1..254 (0 = off): " + ttlSecurityHops);
        }
    }

    /** Without GTSM. */
    public PeerConfig(final InetAddress address, final long remoteAs, final int port, final boolean passive, final int holdSeconds,
        final InetAddress localAddress, final MaximumPrefix maximumPrefix, final String password, final int minimumHoldSeconds)
    {
        this(address, remoteAs, port, passive, holdSeconds, localAddress, maximumPrefix, password, minimumHoldSeconds, 0);
    }

    /** A neighbor with the default maximum-prefix and hold time floor, without TCP-MD5. */
    public PeerConfig(final InetAddress address, final long remoteAs, final int port, final boolean passive, final int holdSeconds,
        final InetAddress localAddress)
    {
        this(address, remoteAs, port, passive, holdSeconds, localAddress, MaximumPrefix.DEFAULT, null, DEFAULT_MINIMUM_HOLD_SECONDS);
    }

    /** @return the TCP-MD5 key as the kernel takes it, or null without one. */
    byte[] md5Key()
    {
        return password == null ? null : password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Never shows the password. */
    @Override
    public String toString()
    {
        return "PeerConfig[address=" + address + ", remoteAs=" + remoteAs + ", port=" + port + ", passive=" + passive +
            ", holdSeconds=" + holdSeconds + ", localAddress=" + localAddress + ", maximumPrefix=" + maximumPrefix +
            ", password=" + (password == null ? "none" : "*****") + ", minimumHoldSeconds=" + minimumHoldSeconds + ", ttlSecurityHops=" +
            ttlSecurityHops + "]";
    }
}
