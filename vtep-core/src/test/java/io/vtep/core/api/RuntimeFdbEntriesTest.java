package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.VtepConfig;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;

/**
 * Entries added at run time survive a reload only when the file has them: what the reload engine
 * calls once the file's differences are applied ({@link RuntimeFdbEntries#keepOnlyConfigured}).
 */
class RuntimeFdbEntriesTest
{
    private static final long A = MacAddress.parse("02:00:00:00:00:0a");
    private static final long B = MacAddress.parse("02:00:00:00:00:0b");

    @Test
    void aReloadKeepsRuntimeEntriesTheFileHasAndRemovesTheOthers() throws Exception
    {
        final Fdb fdb = new Fdb();
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final RuntimeFdbEntries runtime = new RuntimeFdbEntries();
        final FdbChanges changes = new FdbChanges(fdb, runtime, VtepAddress.parse("192.0.2.1"));
        changes.addStatic(100, A, VtepAddress.parse("192.0.2.7"));
        changes.addStatic(100, B, VtepAddress.parse("192.0.2.8"));
        changes.appendFlood(100, VtepAddress.parse("192.0.2.7"));
        changes.appendFlood(100, VtepAddress.parse("192.0.2.8"));
        assertEquals(4, runtime.size());

        // The file now has A (same VTEP) and 192.0.2.7 in the flood list, not B nor 192.0.2.8.
        final VtepConfig file = ConfigLoader.parse("""
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: eth1, vlans: { untagged: 100 } } ]
            vnis: [ { vni: 100, flood: [ 192.0.2.7 ] } ]
            fdb: { static: [ { vni: 100, mac: '02:00:00:00:00:0a', remote: 192.0.2.7 } ] }
            """);
        final List<String> removed = runtime.keepOnlyConfigured(file, fdb);

        assertEquals(List.of("fdb 02:00:00:00:00:0b vni 100 dst 192.0.2.8 removed (added at run time, not in the file)",
            "flood 192.0.2.8 vni 100 removed (appended at run time, not in the file)"), removed);
        assertEquals(Origin.STATIC, FdbEntry.origin(fdb.vni(100).lookup(A)), "kept, now a configured entry");
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(B));
        assertEquals(List.of(VtepAddress.parse("192.0.2.7")),
            java.util.Arrays.stream(fdb.vni(100).floodList()).map(RemoteVtep::address).toList());
        assertFalse(runtime.isStatic(100, A), "no longer marked: the file has it");
        assertEquals(0, runtime.size());
    }

    @Test
    void anEntryThatChangedSinceIsLeftAlone() throws Exception
    {
        final Fdb fdb = new Fdb();
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final RuntimeFdbEntries runtime = new RuntimeFdbEntries();
        new FdbChanges(fdb, runtime, null).addStatic(100, A, VtepAddress.parse("192.0.2.7"));
        assertTrue(runtime.isStatic(100, A));
        // Replaced by a configured entry to another VTEP (as a reload's diff would do) before the cleanup.
        fdb.remove(100, A, Origin.STATIC);
        fdb.addStatic(100, A, fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.9")));
        final VtepConfig file = ConfigLoader.parse("""
            vtep: { local-ip: 192.0.2.1 }
            ports: [ { name: eth1, vlans: { untagged: 100 } } ]
            fdb: { static: [ { vni: 100, mac: '02:00:00:00:00:0a', remote: 192.0.2.9 } ] }
            """);
        assertEquals(List.of(), runtime.keepOnlyConfigured(file, fdb));
        assertEquals(Origin.STATIC, FdbEntry.origin(fdb.vni(100).lookup(A)));
    }
}
