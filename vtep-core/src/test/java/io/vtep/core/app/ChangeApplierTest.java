package io.vtep.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.config.AcceptFrom;
import io.vtep.core.config.ConfigChange;
import io.vtep.core.config.FdbConfig;
import io.vtep.core.config.PortConfig;
import io.vtep.core.config.PortDriver;
import io.vtep.core.config.StormControlConfig;
import io.vtep.core.config.VniConfig;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.testing.RecordingPort;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbEntry;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.Origin;
import io.vtep.fdb.RemoteVtep;

/** Each kind of {@link ConfigChange} against an FDB and forwarding tables, no sockets. */
class ChangeApplierTest
{
    private static final VtepAddress B = VtepAddress.parse("192.0.2.2");
    private static final VtepAddress C = VtepAddress.parse("192.0.2.3");
    private static final long MAC = MacAddress.parse("02:00:00:00:00:09");

    private Fdb fdb;
    private ForwardingTables tables;
    private PortContext eth1;
    private ChangeApplier applier;

    @BeforeEach
    void tables()
    {
        fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        tables = new ForwardingTables(fdb);
        eth1 = tables.addPort(new RecordingPort("eth1"));
        tables.attach(eth1, Attachment.UNTAGGED, tables.addVni(100));
        applier = new ChangeApplier(fdb, tables, 3, null, ChangeApplier.PeerSeries.NONE);
    }

    private void apply(final ConfigChange... changes) throws Exception
    {
        for (final ConfigChange change : changes)
        {
            applier.apply(change, null);
        }
    }

    private static VniConfig vni(final int vni, final VtepAddress... flood)
    {
        return new VniConfig(vni, List.of(flood), null, LearningMode.DATA_PLANE, 50);
    }

    @Test
    void aVniWithItsVlanThenGoneWithItsEntries() throws Exception
    {
        apply(new ConfigChange.VniAdded(vni(200, B)), new ConfigChange.VlanMapped("eth1", 20, 200));
        assertEquals(50, fdb.vni(200).macLimit());
        assertEquals(List.of(B), List.of(fdb.vni(200).floodList()).stream().map(RemoteVtep::address).toList());
        assertTrue(tables.vni(200).membersOnly(), "accept-from members: the default with a flood list");
        final Attachment vlan20 = eth1.attachment(20);
        assertEquals(200, vlan20.vni().vni());
        fdb.addStaticLocal(200, MAC, vlan20.id());

        apply(new ConfigChange.VlanUnmapped("eth1", 20, 200));
        assertNull(eth1.attachment(20));
        assertEquals(FdbEntry.NONE, fdb.vni(200).lookup(MAC), "the MACs behind the unmapped VLAN are gone");

        fdb.addStatic(200, MAC, fdb.remoteVteps().intern(C));
        apply(new ConfigChange.VniRemoved(vni(200, B)));
        assertNull(tables.vni(200));
        assertEquals(0, fdb.vni(200).floodList().length);
        assertEquals(FdbEntry.NONE, fdb.vni(200).lookup(MAC), "emptied");
    }

    @Test
    void floodListChangedEntryByEntryKeepingWhatElsePutThere() throws Exception
    {
        apply(new ConfigChange.FloodListChanged(100, List.of(), List.of(B)));
        // As an EVPN type-3 route would: a VTEP in the list that the file does not name.
        fdb.addToFloodList(100, fdb.remoteVteps().intern(C));

        apply(new ConfigChange.FloodListChanged(100, List.of(B), List.of()));
        assertEquals(List.of(C), List.of(fdb.vni(100).floodList()).stream().map(RemoteVtep::address).toList());
    }

    @Test
    void staticEntriesLimitsSourceChecksAndStormControl() throws Exception
    {
        final FdbConfig.StaticEntry entry = new FdbConfig.StaticEntry(100, MAC, B);
        apply(new ConfigChange.StaticAdded(entry));
        assertEquals(Origin.STATIC, FdbEntry.origin(fdb.vni(100).lookup(MAC)));
        apply(new ConfigChange.StaticRemoved(entry));
        assertEquals(FdbEntry.NONE, fdb.vni(100).lookup(MAC));

        apply(new ConfigChange.MacLimitChanged(100, 0, 7));
        assertEquals(7, fdb.vni(100).macLimit());

        apply(new ConfigChange.AcceptFromChanged(100, AcceptFrom.ANY, AcceptFrom.MEMBERS));
        assertTrue(tables.vni(100).membersOnly());
        apply(new ConfigChange.AcceptFromChanged(100, AcceptFrom.MEMBERS, AcceptFrom.ANY));
        assertFalse(tables.vni(100).membersOnly());

        final StormControlConfig storm = new StormControlConfig(10, 0, 0, 0);
        apply(new ConfigChange.VniStormControlChanged(100, StormControlConfig.OFF, storm),
            new ConfigChange.PortStormControlChanged("eth1", StormControlConfig.OFF, storm));
        assertNotNull(tables.vni(100).stormControl());
        assertNotNull(eth1.stormControl());
        apply(new ConfigChange.PortStormControlChanged("eth1", storm, StormControlConfig.OFF));
        assertNull(eth1.stormControl());
    }

    @Test
    void preflightRefusesWhatTheRunningStateCannotTake()
    {
        assertEquals(List.of(), applier.preflight(List.of(new ConfigChange.VniAdded(vni(200)), new ConfigChange.VniAdded(vni(300)))));
        assertTrue(applier.preflight(List.of(new ConfigChange.VniAdded(vni(200)), new ConfigChange.VniAdded(vni(300)),
            new ConfigChange.VniAdded(vni(400)))).getFirst().startsWith("vnis: this run of vtep has counters for 3 VNIs"));

        fdb.addVni(500, LearningMode.NONE, 0, null); // as a VNI removed earlier in this run leaves it
        assertTrue(applier.preflight(List.of(new ConfigChange.VniAdded(vni(500)))).getFirst()
            .startsWith("vnis: VNI 500 ran with learning none before it was removed"));
    }

    @Test
    void aRemovedPortIsUnmappedAndFlushedBeforeItsSocketsGoAndPreflightBoundsPorts() throws Exception
    {
        final List<String> calls = new java.util.ArrayList<>();
        apply(new ConfigChange.VniAdded(new VniConfig(300, List.of(), null, LearningMode.EVPN, 50, AcceptFrom.ANY, StormControlConfig.OFF,
            true)));
        assertNotNull(tables.vni(300).neighbors(), "ARP/ND suppression on, as for a VNI at start");
        applier.ports(new ChangeApplier.Ports()
        {
            @Override
            public int capacity()
            {
                return 2;
            }

            @Override
            public void add(final PortConfig port)
            {
                calls.add("add " + port.name());
            }

            @Override
            public void remove(final String name)
            {
                calls.add("remove " + name + ", untagged still mapped: " + (eth1.attachment(Attachment.UNTAGGED) != null) +
                    ", MAC still there: " + (fdb.vni(100).lookup(MAC) != FdbEntry.NONE));
            }
        });
        fdb.addStaticLocal(100, MAC, eth1.attachment(Attachment.UNTAGGED).id());

        final PortConfig eth1Config = new PortConfig("eth1", PortDriver.AF_PACKET, java.util.Map.of(PortConfig.UNTAGGED, 100));
        apply(new ConfigChange.PortRemoved(eth1Config), new ConfigChange.PortAdded(eth1Config));
        assertEquals(List.of("remove eth1, untagged still mapped: false, MAC still there: false", "add eth1"), calls);

        final PortConfig lo = new PortConfig("lo", PortDriver.AF_PACKET, java.util.Map.of());
        assertEquals(List.of(), applier.preflight(List.of(new ConfigChange.PortAdded(lo))));
        assertEquals(List.of("ports: this run of vtep has room for 2 access ports at once (those at start and 16 more); 3 need a restart"),
            applier.preflight(List.of(new ConfigChange.PortAdded(lo), new ConfigChange.PortAdded(new PortConfig("lo", PortDriver.PCAP,
                java.util.Map.of())))));
        assertEquals(List.of("ports: no interface named nosuch0 on this host"),
            applier.preflight(List.of(new ConfigChange.PortAdded(new PortConfig("nosuch0", PortDriver.AF_PACKET, java.util.Map.of())))));
        final io.vtep.core.config.LacpConfig lacp = new io.vtep.core.config.LacpConfig(io.vtep.core.config.LacpMode.ACTIVE, true, 65535,
            0x02_00_00_00_00_0aL, 5, 1);
        assertEquals(List.of("ports: lo has lacp, which a reload cannot add yet (restart vtep)"),
            applier.preflight(List.of(new ConfigChange.PortAdded(new PortConfig("lo", PortDriver.AF_PACKET, java.util.Map.of(),
                lo.stormControl(), lacp)))));
    }
}
