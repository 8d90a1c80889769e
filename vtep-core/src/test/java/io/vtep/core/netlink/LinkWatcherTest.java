package io.vtep.core.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.health.ThreadHealth;
import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;
import io.vtep.core.port.PortLink;

/** The link watcher in a test namespace: rtnetlink events for a veth deleted, re-made, down and up. */
class LinkWatcherTest
{
    private final TestNamespaces namespaces = new TestNamespaces();
    private LinkEventSocket events;

    @AfterEach
    void tearDown() throws IOException
    {
        if (events != null)
        {
            events.close();
        }
        namespaces.close();
    }

    @Test
    void followsAnInterfaceByNameThroughDeleteRecreateDownAndUp() throws Exception
    {
        final String ns1 = namespaces.create(false);
        final String ns2 = namespaces.create(false);
        namespaces.veth(ns1, "acc1", ns2, "h1");
        events = NetworkNamespace.call(ns1, LinkEventSocket::open);
        final PortLink link = new PortLink("acc1", 0);
        final LinkWatcher watcher = new LinkWatcher(events, List.of(link), ThreadHealth.system().register("vtep-link-watcher"));
        watcher.checkLinks();
        final int firstIndex = link.interfaceIndex();
        final long epoch = link.openEpoch();
        assertEquals(PortLink.State.UP, link.state());
        assertTrue(firstIndex > 0);

        TestNamespaces.ip(ns2, "link", "del", "h1"); // deletes the pair, acc1 with it
        assertTrue(awaitChange(), "an RTM_DELLINK arrives");
        watcher.checkLinks();
        assertEquals(PortLink.State.ABSENT, link.state());
        assertEquals(0, link.interfaceIndex());

        namespaces.veth(ns1, "acc1", ns2, "h1");
        assertTrue(awaitChange(), "an RTM_NEWLINK arrives");
        watcher.checkLinks();
        assertEquals(PortLink.State.UP, link.state());
        assertNotEquals(firstIndex, link.interfaceIndex(), "a new interface of the same name");
        assertEquals(epoch + 1, link.openEpoch(), "one re-open asked for");

        TestNamespaces.ip(ns1, "link", "set", "acc1", "down");
        assertTrue(awaitChange());
        watcher.checkLinks();
        assertEquals(PortLink.State.DOWN, link.state());
    }

    @Test
    void recognisesLinkMessagesAmongOthers()
    {
        final UnsafeBuffer datagram = new UnsafeBuffer(new byte[64]);
        // nlmsghdr: length 20 (16 + 4 bytes of body), type RTM_NEWADDR (20): not a link message
        datagram.putInt(0, 20);
        datagram.putShort(4, (short)20);
        assertFalse(LinkEventSocket.containsLinkMessage(datagram, 20));
        // a second message, RTM_DELLINK (17), at the aligned offset 20
        datagram.putInt(20, 16);
        datagram.putShort(24, (short)LinkEventSocket.RTM_DELLINK);
        assertTrue(LinkEventSocket.containsLinkMessage(datagram, 36));
        // a length that lies (0) ends the walk instead of looping
        datagram.putInt(0, 0);
        assertFalse(LinkEventSocket.containsLinkMessage(datagram, 36));
    }

    private boolean awaitChange()
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (events.awaitLinkChange(500))
            {
                return true;
            }
        }
        return false;
    }
}
