package io.vtep.evpn.session;

import java.util.function.Consumer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vtep.evpn.codec.BgpMessage;

/**
 * Last handler of a session's pipeline: turns what the connection delivers into {@link FsmEvent}s
 * for the peer's FSM, on the event loop, in arrival order.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter
{
    private final Consumer<FsmEvent> fsm;
    private final boolean outgoing;

    /**
     * @param fsm      where the events go (the peer's {@link BgpFsm#handle}).
     * @param outgoing we initiated the connection.
     */
    SessionHandler(final Consumer<FsmEvent> fsm, final boolean outgoing)
    {
        this.fsm = fsm;
        this.outgoing = outgoing;
    }

    /** Fires before any read: Tcp_CR_Acked [16] or TcpConnectionConfirmed [17]. */
    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        fsm.accept(new FsmEvent.TcpConnected(ctx.channel(), outgoing));
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof BgpFrameDecoder.DecodeFailure failure)
        {
            fsm.accept(new FsmEvent.MessageError(ctx.channel(), failure.error()));
        }
        else if (msg instanceof BgpMessage message)
        {
            fsm.accept(new FsmEvent.MessageReceived(ctx.channel(), message));
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        fsm.accept(new FsmEvent.WritabilityChanged(ctx.channel(), ctx.channel().isWritable()));
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        fsm.accept(new FsmEvent.TcpConnectionFails(ctx.channel(), "connection closed by peer"));
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        fsm.accept(new FsmEvent.TcpConnectionFails(ctx.channel(), "connection error: " + cause.getMessage()));
        ctx.close();
    }
}
