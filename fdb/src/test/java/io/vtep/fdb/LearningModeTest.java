package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LearningModeTest
{
    @Test
    void parsesTheConfigurationSpelling()
    {
        assertEquals(LearningMode.DATA_PLANE, LearningMode.parse("data-plane"));
        assertEquals(LearningMode.EVPN, LearningMode.parse("evpn"));
        assertEquals(LearningMode.NONE, LearningMode.parse("none"));
        for (final LearningMode mode : LearningMode.values())
        {
            assertEquals(mode, LearningMode.parse(mode.label()));
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"DATA_PLANE", "data_plane", "Evpn", " none", "flood"})
    void refusesAnythingElseNamingTheText(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LearningMode.parse(text));
        assertTrue(ex.getMessage().contains("\"" + text + "\""), ex.getMessage());
        assertTrue(ex.getMessage().contains("data-plane, evpn or none"), ex.getMessage());
    }

    @Test
    void whatEachModeLearns()
    {
        assertTrue(LearningMode.DATA_PLANE.learnsLocal());
        assertTrue(LearningMode.DATA_PLANE.learnsRemote());
        assertTrue(LearningMode.EVPN.learnsLocal());
        assertFalse(LearningMode.EVPN.learnsRemote());
        assertFalse(LearningMode.NONE.learnsLocal());
        assertFalse(LearningMode.NONE.learnsRemote());
    }

    @Test
    void originLabels()
    {
        assertEquals("local", Origin.LOCAL.label());
        assertEquals("remote", Origin.REMOTE.label());
        assertEquals("static", Origin.STATIC.label());
        assertEquals("evpn", Origin.EVPN.label());
        assertTrue(Origin.LOCAL.isLearned());
        assertTrue(Origin.REMOTE.isLearned());
        assertFalse(Origin.STATIC.isLearned());
        assertFalse(Origin.EVPN.isLearned());
    }
}
