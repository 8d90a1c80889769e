package io.vtep.evpn.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vtep.evpn.codec.ErrorSubcode;
import io.vtep.evpn.codec.NotificationMessage;

/**
 * {@link Connection#close} on an embedded channel with a frozen clock: a NOTIFICATION whose write
 * never completes (a peer that does not read, zero window) must not keep the channel open. With
 * real sockets this takes megabytes queued first; RawPeerSessionTest does that end to end.
 */
class ConnectionTest
{
    private static final NotificationMessage CEASE = NotificationMessage.of(ErrorSubcode.OUT_OF_RESOURCES);

    @Test
    void aNotificationThatCannotBeWrittenDoesNotKeepTheChannelOpen()
    {
        final List<Object> held = new ArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter()
        {
            @Override
            public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
            {
                held.add(msg); // never written, the promise never completes
            }
        });
        channel.freezeTime();
        new Connection(channel, false).close(CEASE);
        channel.runPendingTasks();
        assertEquals(List.of(CEASE), held);
        assertTrue(channel.isOpen(), "waiting for the NOTIFICATION to be written");
        channel.advanceTimeBy(Connection.NOTIFICATION_CLOSE_TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        assertTrue(channel.isOpen(), "still waiting");
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        assertFalse(channel.isOpen(), "closed anyway");
    }

    @Test
    void aNotificationWrittenClosesAtOnceAndCancelsTheForcedClose()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        new Connection(channel, false).close(CEASE);
        assertFalse(channel.isOpen(), "closed when the write completed");
        assertInstanceOf(NotificationMessage.class, channel.readOutbound());
        assertEquals(-1, channel.runScheduledPendingTasks(), "no forced close left scheduled");
    }
}
