package io.vtep.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.testing.RecordingPort;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;

/** One line per MAC move, rate-limited; a change of origin in the same place is no move. */
class MacMoveLogTest
{
    @Test
    void movesAreLoggedAtMostFiveAtATime()
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        final Attachment acc1 = tables.attach(tables.addPort(new RecordingPort("acc1")), 10, tables.addVni(100));
        final int vtep = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2")).index();
        final long local = FdbEntry.local(acc1.id(), Origin.LOCAL);
        final long remote = FdbEntry.remote(vtep, Origin.REMOTE);
        final List<String> lines = new ArrayList<>();
        final Logger logger = Logger.getLogger(MacMoveLog.class.getName());
        final Handler handler = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                lines.add(new JsonLineFormatter().formatMessage(record));
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        logger.addHandler(handler);
        try
        {
            final MacMoveLog log = new MacMoveLog(tables);
            final long mac = MacAddress.parse("02:00:00:00:00:01");
            log.onEntryChanged(100, mac, local, FdbEntry.local(acc1.id(), Origin.STATIC));
            assertEquals(List.of(), lines, "made static where it is: not a move");
            for (int i = 0; i < 4; i++)
            {
                log.onEntryChanged(100, mac, local, remote);
                log.onEntryChanged(100, mac, remote, local);
            }
            assertEquals(MacMoveLog.BURST, lines.size(), lines::toString);
            assertEquals("vni 100: MAC 02:00:00:00:00:01 moved from acc1.10 to 192.0.2.2", lines.getFirst());
            assertEquals("vni 100: MAC 02:00:00:00:00:01 moved from 192.0.2.2 to acc1.10", lines.get(1));
        }
        finally
        {
            logger.removeHandler(handler);
        }
        assertTrue(MacMoveLog.isMove(local, remote));
        assertFalse(MacMoveLog.isMove(FdbEntry.NONE, remote));
    }
}
