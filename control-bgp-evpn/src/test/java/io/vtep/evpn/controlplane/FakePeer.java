package io.vtep.evpn.controlplane;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.PeerConfig;

/** A neighbor that records the octets of every UPDATE sent to it, as the session would write them. */
final class FakePeer implements BgpPeer
{
    private final PeerConfig config;
    private final boolean ibgp;
    private final InetAddress routerId;
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    /** What the RIB told the session: UPDATEs it finished, and the route counts it reported over the maximum-prefix. */
    final java.util.concurrent.atomic.AtomicLong consumed = new java.util.concurrent.atomic.AtomicLong();
    final List<Long> prefixLimitReports = new CopyOnWriteArrayList<>();
    /** Thrown by {@link #isIbgp} once set: an Error on the RIB's thread, as an OutOfMemoryError would be. */
    volatile Error failOnNextUse;
    /** Session ends, as the session layer counts them before it calls down(). */
    final java.util.concurrent.atomic.AtomicLong ended = new java.util.concurrent.atomic.AtomicLong();
    volatile boolean established = true;

    FakePeer(final String address, final long remoteAs, final long localAs, final String routerId)
    {
        this(new PeerConfig(WireFormat.parseAddress(address), remoteAs, 179, false, 90, null), localAs, routerId);
    }

    FakePeer(final PeerConfig config, final long localAs, final String routerId)
    {
        final long remoteAs = config.remoteAs();
        this.config = config;
        this.ibgp = remoteAs == localAs;
        this.routerId = WireFormat.parseAddress(routerId);
    }

    /** @return what was sent, decoded again by the codec. */
    List<UpdateMessage> updates()
    {
        return sent.stream().map(bytes -> (UpdateMessage)BgpCodec.decode(bytes, CodecContext.FOUR_OCTET_AS)).toList();
    }

    void clear()
    {
        sent.clear();
    }

    @Override
    public PeerConfig config()
    {
        return config;
    }

    @Override
    public String state()
    {
        return established ? "Established" : "Idle";
    }

    @Override
    public boolean isEstablished()
    {
        return established;
    }

    @Override
    public boolean isIbgp()
    {
        final Error failure = failOnNextUse;
        if (failure != null)
        {
            failOnNextUse = null;
            throw failure;
        }
        return ibgp;
    }

    @Override
    public InetAddress remoteRouterId()
    {
        return routerId;
    }

    @Override
    public long establishedSinceMillis()
    {
        return 1;
    }

    @Override
    public void send(final UpdateMessage update)
    {
        sent.add(BgpCodec.encode(update, CodecContext.FOUR_OCTET_AS));
    }

    @Override
    public long updatesSent()
    {
        return sent.size();
    }

    @Override
    public long establishedTransitions()
    {
        return 0;
    }

    @Override
    public long sessionsEnded()
    {
        return ended.get();
    }

    @Override
    public void updateConsumed()
    {
        consumed.incrementAndGet();
    }

    @Override
    public void prefixLimitExceeded(final long held)
    {
        prefixLimitReports.add(held);
    }

    @Override
    public String toString()
    {
        return "peer " + WireFormat.toText(config.address());
    }
}
