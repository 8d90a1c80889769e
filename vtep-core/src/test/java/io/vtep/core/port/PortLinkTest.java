package io.vtep.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortLinkTest
{
    @Test
    void deletedAndRecreatedAsksForOneReopen()
    {
        final PortLink link = new PortLink("acc1", 7);
        link.observe(7, true);
        assertTrue(link.forwarding());
        assertEquals(0, link.openEpoch(), "no change, nothing to re-open");

        link.observe(0, false);
        assertEquals(PortLink.State.ABSENT, link.state());
        assertFalse(link.forwarding());

        link.observe(12, false);
        assertEquals(PortLink.State.DOWN, link.state());
        assertEquals(0, link.openEpoch(), "down: nothing to open on yet");

        link.observe(12, true);
        link.observe(12, true);
        assertEquals(PortLink.State.UP, link.state());
        assertEquals(12, link.interfaceIndex());
        assertEquals(1, link.openEpoch());
        assertFalse(link.forwarding(), "up, not yet re-opened");

        link.published(1, 0);
        assertTrue(link.forwarding());
        assertEquals(1, link.reopens());
    }

    @Test
    void upUnderANewIndexWithoutSeeingItGoReopensToo()
    {
        final PortLink link = new PortLink("acc1", 7);
        link.observe(9, true); // deleted and made again between two looks
        assertEquals(1, link.openEpoch());
        assertEquals(1, PortLink.State.UP.gauge());
        assertEquals(-1, PortLink.State.ABSENT.gauge());
    }
}
