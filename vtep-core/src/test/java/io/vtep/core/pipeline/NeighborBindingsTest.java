package io.vtep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.testing.RecordingPort;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;

/** What fills the neighbour tables: EVPN MAC+IP best paths and snooped local hosts, and when they leave. */
class NeighborBindingsTest
{
    private static final long H1 = 0x0200_0000_0001L;
    private static final long H2 = 0x0200_0000_0002L;
    private static final long H3 = 0x0200_0000_0003L;

    private Fdb fdb;
    private ForwardingTables tables;
    private NeighborBindings bindings;
    private NeighborTable table;
    private Attachment attachment;

    @BeforeEach
    void build()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.EVPN, 0, null);
        fdb.addVni(200, LearningMode.EVPN, 0, null);
        tables = new ForwardingTables(fdb);
        final VniContext vni100 = tables.addVni(100);
        tables.addVni(200); // suppression off there
        table = new NeighborTable(64);
        vni100.neighbors(table);
        attachment = tables.attach(tables.addPort(new RecordingPort("eth1")), Attachment.UNTAGGED, vni100);
        bindings = new NeighborBindings(tables);
        fdb.addListener(bindings);
    }

    private static InetAddress ip(final String text)
    {
        try
        {
            return InetAddress.getByName(text);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }

    private long macOf(final String ip)
    {
        final byte[] bytes = ip(ip).getAddress();
        final long value = bytes.length == 4 ?
            table.lookup(0, NeighborTable.ipv4Low(java.nio.ByteBuffer.wrap(bytes).getInt())) :
            table.lookup(java.nio.ByteBuffer.wrap(bytes).getLong(), java.nio.ByteBuffer.wrap(bytes, 8, 8).getLong());
        return value == NeighborTable.NONE ? -1 : NeighborTable.mac(value);
    }

    @Test
    void aRemoteRouteBindsUntilWithdrawn()
    {
        bindings.remote(100, "rd1", H2, ip("10.0.0.2"), NeighborTable.OVERRIDE, true);
        bindings.remote(100, "rd1v6", H2, ip("2001:db8::2"), NeighborTable.OVERRIDE, true);
        assertEquals(H2, macOf("10.0.0.2"));
        assertEquals(H2, macOf("2001:db8::2"));

        bindings.remote(100, "rd1", H2, ip("10.0.0.2"), NeighborTable.OVERRIDE, false);
        assertEquals(-1, macOf("10.0.0.2"));
        assertEquals(H2, macOf("2001:db8::2"));
    }

    @Test
    void aStaleRoutesWithdrawalKeepsTheNewerBinding()
    {
        // The host moved from VTEP A (key a) to VTEP B (key b), with a new MAC: B's route came first.
        bindings.remote(100, "a", H2, ip("10.0.0.2"), NeighborTable.OVERRIDE, true);
        bindings.remote(100, "b", H3, ip("10.0.0.2"), NeighborTable.OVERRIDE, true);
        assertEquals(H3, macOf("10.0.0.2"), "the latest claim is answered");

        bindings.remote(100, "a", H2, ip("10.0.0.2"), NeighborTable.OVERRIDE, false);
        assertEquals(H3, macOf("10.0.0.2"));

        bindings.remote(100, "b", H3, ip("10.0.0.2"), NeighborTable.OVERRIDE, false);
        assertEquals(-1, macOf("10.0.0.2"));
    }

    @Test
    void withdrawingTheNewestFallsBackToTheOneLeft()
    {
        bindings.remote(100, "a", H2, ip("10.0.0.2"), 0, true);
        bindings.remote(100, "b", H3, ip("10.0.0.2"), 0, true);
        bindings.remote(100, "b", H3, ip("10.0.0.2"), 0, false);

        assertEquals(H2, macOf("10.0.0.2"));
    }

    @Test
    void aLocalBindingLeavesWithItsMac()
    {
        fdb.addStaticLocal(100, H1, attachment.id());
        bindings.local(100, H1, ip("10.0.0.1"));
        assertEquals(H1, macOf("10.0.0.1"));

        fdb.remove(100, H1, Origin.STATIC);
        assertEquals(-1, macOf("10.0.0.1"), "aged out or removed: the binding goes too");
    }

    @Test
    void aLocalBindingLeavesWhenItsMacMovesToARemoteVtep()
    {
        fdb.addStaticLocal(100, H1, attachment.id());
        bindings.local(100, H1, ip("10.0.0.1"));
        fdb.remove(100, H1, Origin.STATIC);
        fdb.putEvpn(100, H1, fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.9")));

        assertEquals(-1, macOf("10.0.0.1"));
    }

    @Test
    void aMacThatIsNotLocalBindsNothingLocally()
    {
        bindings.local(100, H1, ip("10.0.0.1"));

        assertEquals(-1, macOf("10.0.0.1"), "no FDB event would ever remove it");
    }

    @Test
    void aVniWithoutSuppressionIsLeftAlone()
    {
        bindings.remote(200, "rd", H2, ip("10.0.0.2"), 0, true);

        assertEquals(-1, macOf("10.0.0.2"));
        assertEquals(0, table.size());
    }

    @Test
    void aFullTableRefusesAndCounts()
    {
        for (int i = 0; i < 64; i++)
        {
            bindings.remote(100, "r" + i, H2, ip("10.1.0." + i), 0, true);
        }
        bindings.remote(100, "over", H2, ip("10.2.0.1"), 0, true);

        assertEquals(64, table.size());
        assertEquals(1, bindings.refused());
        bindings.remote(100, "over", H2, ip("10.2.0.1"), 0, false); // never held: nothing to undo
        assertEquals(64, table.size());
    }
}
