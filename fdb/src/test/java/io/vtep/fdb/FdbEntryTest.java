package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FdbEntryTest
{
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 0xFFFF, Integer.MAX_VALUE, -1, Integer.MIN_VALUE})
    void localEntryKeepsAnyAttachment(final int attachment)
    {
        final long entry = FdbEntry.local(attachment, Origin.LOCAL);

        assertNotEquals(FdbEntry.NONE, entry);
        assertTrue(FdbEntry.isLocal(entry));
        assertFalse(FdbEntry.isRemote(entry));
        assertEquals(attachment, FdbEntry.attachment(entry));
        assertEquals(Origin.LOCAL, FdbEntry.origin(entry));
        assertTrue(FdbEntry.isLearned(entry));
    }

    @ParameterizedTest
    @EnumSource(value = Origin.class, names = {"REMOTE", "STATIC", "EVPN"})
    void remoteEntryKeepsIndexAndOrigin(final Origin origin)
    {
        for (final int index : new int[] {0, 1, 4095, Integer.MAX_VALUE})
        {
            final long entry = FdbEntry.remote(index, origin);

            assertNotEquals(FdbEntry.NONE, entry);
            assertTrue(FdbEntry.isRemote(entry));
            assertFalse(FdbEntry.isLocal(entry));
            assertEquals(index, FdbEntry.vtepIndex(entry));
            assertEquals(origin, FdbEntry.origin(entry));
            assertEquals(origin == Origin.REMOTE, FdbEntry.isLearned(entry));
        }
    }

    @Test
    void noneIsNeitherLocalNorRemote()
    {
        assertEquals(0L, FdbEntry.NONE);
        assertFalse(FdbEntry.isLocal(FdbEntry.NONE));
        assertFalse(FdbEntry.isRemote(FdbEntry.NONE));
        assertFalse(FdbEntry.isLearned(FdbEntry.NONE));
        assertNull(FdbEntry.origin(FdbEntry.NONE));
        assertEquals("none", FdbEntry.toString(FdbEntry.NONE));
    }

    @Test
    void staticLocalEntryIsNotLearned()
    {
        final long entry = FdbEntry.local(3, Origin.STATIC);

        assertTrue(FdbEntry.isLocal(entry));
        assertEquals(Origin.STATIC, FdbEntry.origin(entry));
        assertFalse(FdbEntry.isLearned(entry));
    }

    @Test
    void refusesOriginsThatCannotPointThere()
    {
        assertThrows(IllegalArgumentException.class, () -> FdbEntry.local(1, Origin.REMOTE));
        assertThrows(IllegalArgumentException.class, () -> FdbEntry.remote(1, Origin.LOCAL));
        assertThrows(IllegalArgumentException.class, () -> FdbEntry.remote(-1, Origin.REMOTE));
    }

    @Test
    void localAndRemoteWithTheSameNumberDiffer()
    {
        assertNotEquals(FdbEntry.local(5, Origin.STATIC), FdbEntry.remote(5, Origin.STATIC));
        assertFalse(FdbEntry.sameDestination(FdbEntry.local(5, Origin.STATIC), FdbEntry.remote(5, Origin.STATIC)));
    }

    @Test
    void sameDestinationIgnoresOrigin()
    {
        assertTrue(FdbEntry.sameDestination(FdbEntry.remote(2, Origin.REMOTE), FdbEntry.remote(2, Origin.EVPN)));
        assertTrue(FdbEntry.sameDestination(FdbEntry.local(2, Origin.LOCAL), FdbEntry.local(2, Origin.STATIC)));
        assertFalse(FdbEntry.sameDestination(FdbEntry.remote(2, Origin.REMOTE), FdbEntry.remote(3, Origin.REMOTE)));
        assertFalse(FdbEntry.sameDestination(FdbEntry.NONE, FdbEntry.NONE));
    }

    @Test
    void describesItself()
    {
        assertEquals("local attachment 3 (local)", FdbEntry.toString(FdbEntry.local(3, Origin.LOCAL)));
        assertEquals("remote vtep 2 (evpn)", FdbEntry.toString(FdbEntry.remote(2, Origin.EVPN)));
    }
}
