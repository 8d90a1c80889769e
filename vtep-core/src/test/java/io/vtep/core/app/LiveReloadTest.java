package io.vtep.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.ReloadOutcome;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.PortConfig;
import io.vtep.core.config.VtepConfig;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.testing.RecordingPort;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;

/** {@link LiveReload} when a port cannot be added: the other changes apply, and the next reload tries the port again. */
class LiveReloadTest
{
    private static final String RUNNING = """
        vtep: { local-ip: 198.51.100.1 }
        ports:
          - { name: eth1, vlans: { untagged: 100 } }
        vnis:
          - { vni: 100, mac-limit: 10 }
        """;

    @Test
    void aPortThatCannotBeOpenedStaysOutOfTheRunningConfigurationAndTheRestApplies() throws Exception
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 10, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        tables.attach(tables.addPort(new RecordingPort("eth1")), Attachment.UNTAGGED, tables.addVni(100));
        final List<String> tried = new ArrayList<>();
        final ChangeApplier applier = new ChangeApplier(fdb, tables, 3, null, ChangeApplier.PeerSeries.NONE).ports(new ChangeApplier.Ports()
        {
            @Override
            public int capacity()
            {
                return 4;
            }

            @Override
            public void add(final PortConfig port) throws IOException
            {
                tried.add(port.name());
                throw new IOException("cannot open " + port.name());
            }

            @Override
            public void remove(final String name)
            {
            }
        });
        final LiveReload reload = new LiveReload(null, ConfigLoader.parse(RUNNING), applier);
        // "lo": an interface every namespace has, so that preflight lets it through.
        final VtepConfig next = ConfigLoader.parse(RUNNING.replace("vnis:", "  - { name: lo, vlans: { untagged: 100 } }\nvnis:")
            .replace("mac-limit: 10", "mac-limit: 20"));

        final ReloadOutcome outcome = reload.reload(next);
        assertFalse(outcome.isApplied());
        assertEquals("port lo added (driver af-packet, 1 vlan mapping(s)) failed: cannot open lo; the other changes are in force",
            outcome.errorOrNull());
        assertEquals(List.of("vni 100 mac-limit 10 -> 20"), outcome.changes());
        assertEquals(20, fdb.vni(100).macLimit());
        assertEquals(List.of("eth1"), reload.running().ports().stream().map(PortConfig::name).toList());

        reload.reload(next);
        assertEquals(List.of("lo", "lo"), tried, "the next reload tries the port again, and only it");
        assertTrue(reload.running().vni(100).macLimit() == 20);
    }
}
