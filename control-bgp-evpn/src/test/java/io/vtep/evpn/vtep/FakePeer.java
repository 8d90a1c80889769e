package io.vtep.evpn.vtep;

import io.vtep.evpn.codec.BgpCodec;
import io.vtep.evpn.codec.CodecContext;
import io.vtep.evpn.codec.UpdateMessage;
import io.vtep.evpn.codec.WireFormat;
import io.vtep.evpn.session.BgpPeer;
import io.vtep.evpn.session.PeerConfig;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A neighbor that records the octets of every UPDATE sent to it, as the session would write them. */
final class FakePeer implements BgpPeer
{
    private final PeerConfig config;
    private final boolean ibgp;
    private final InetAddress routerId;
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    volatile boolean established = true;

    FakePeer(final String address, final long remoteAs, final long localAs, final String routerId)
    {
        this.config = new PeerConfig(WireFormat.parseAddress(address), remoteAs, 179, false, 90, null);
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
    public long updatesReceived()
    {
        return 0;
    }

    @Override
    public long updatesSent()
    {
        return sent.size();
    }

    @Override
    public String lastError()
    {
        return null;
    }

    @Override
    public int negotiatedHoldSeconds()
    {
        return 0;
    }

    @Override
    public long establishedTransitions()
    {
        return 0;
    }

    @Override
    public String toString()
    {
        return "peer " + WireFormat.toText(config.address());
    }
}
