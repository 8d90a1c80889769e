package io.vtep.evpn.session;

import io.netty.channel.Channel;
import io.vtep.evpn.codec.BgpDecodeException;
import io.vtep.evpn.codec.BgpMessage;
import io.vtep.evpn.codec.ErrorSubcode;

/**
 * Input to a {@link BgpFsm}, named after the events of RFC 4271 §8.1 (their numbers in
 * brackets). Events that come from a TCP connection carry it, so that the FSM can ignore those of a
 * connection it already dropped.
 */
sealed interface FsmEvent
{
    /**
     * ManualStart / AutomaticStart [1, 3], or with passive TCP establishment [4, 5].
     *
     * @param passive only listen, never connect.
     */
    record Start(boolean passive) implements FsmEvent
    {
    }

    /**
     * ManualStop [2]: the speaker closes.
     *
     * @param cease  the Cease subcode to send on a connection in OpenSent or later.
     * @param reason for the log and {@link PeerEvents#down}.
     */
    record Stop(ErrorSubcode cease, String reason) implements FsmEvent
    {
    }

    /**
     * Timer expiry [9, 10, 11], the Idle hold timer of RFC 4271 §8.1.1 (IdleHoldTimer_Expires
     * [13]), and the send hold check of an Established session whose connection stays unwritable
     * (in the spirit of RFC 9687's SendHoldTimer).
     */
    enum Timer implements FsmEvent
    {
        CONNECT_RETRY_TIMER_EXPIRES,
        HOLD_TIMER_EXPIRES,
        KEEPALIVE_TIMER_EXPIRES,
        IDLE_HOLD_TIMER_EXPIRES,
        SEND_HOLD_TIMER_EXPIRES
    }

    /** @return the connection the event came from, or null for timers and administrative events. */
    default Channel channel()
    {
        return null;
    }

    /**
     * Tcp_CR_Acked [16] ({@code outgoing}: the connection we initiated completed) or
     * TcpConnectionConfirmed [17] (we accepted the peer's).
     *
     * @param channel  the connection.
     * @param outgoing who opened it.
     */
    record TcpConnected(Channel channel, boolean outgoing) implements FsmEvent
    {
    }

    /**
     * TcpConnectionFails [18]: connect refused or timed out, or the connection closed or reset.
     *
     * @param channel the connection or attempt.
     * @param reason  for the log and {@link PeerEvents#down}.
     */
    record TcpConnectionFails(Channel channel, String reason) implements FsmEvent
    {
    }

    /**
     * BGPOpen [19], NotifMsg [25], KeepAliveMsg [26], UpdateMsg [27], and ROUTE-REFRESH (RFC 2918).
     *
     * @param channel the connection.
     * @param message what arrived.
     */
    record MessageReceived(Channel channel, BgpMessage message) implements FsmEvent
    {
    }

    /**
     * BGPHeaderErr [21], BGPOpenMsgErr [22], UpdateMsgErr [28]: the codec refused a message; the
     * exception carries the NOTIFICATION to send.
     *
     * @param channel the connection.
     * @param error   what was wrong.
     */
    record MessageError(Channel channel, BgpDecodeException error) implements FsmEvent
    {
    }

    /**
     * The connection's outbound buffer crossed a write buffer water mark (not an RFC 4271 event):
     * unwritable above the high mark, writable again below the low one.
     *
     * @param channel  the connection.
     * @param writable its {@link Channel#isWritable()} now.
     */
    record WritabilityChanged(Channel channel, boolean writable) implements FsmEvent
    {
    }

    /**
     * The RIB holds more of the neighbor's routes than its maximum-prefix limit (not an RFC 4271
     * event; RFC 4486 §4 says what to send).
     *
     * @param held routes held from the neighbor.
     */
    record PrefixLimitExceeded(long held) implements FsmEvent
    {
    }
}
