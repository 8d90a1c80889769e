package io.vtep.core.underlay;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.nativeio.TestNamespaces;
import io.vtep.core.pipeline.DataPlane;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.testing.RecordingTransmitter;
import io.vtep.encap.SourcePortRange;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/** The underlay UDP port belongs to one instance. */
class UnderlayReceiverTest
{
    private static final VtepAddress LOCAL = VtepAddress.parse("10.98.0.1");

    private final TestNamespaces namespaces = new TestNamespaces();
    private String ns;
    private DataPlane plane;

    @BeforeEach
    void setUp() throws Exception
    {
        ns = namespaces.create(false);
        namespaces.veth(ns, "ua", namespaces.create(false), "ub");
        TestNamespaces.ip(ns, "addr", "add", "10.98.0.1/24", "dev", "ua");
        plane = new DataPlane(new ForwardingTables(new Fdb(FdbSettings.defaults())),
            new CounterSnapshotSource(new CounterLayout(1, 4)), LOCAL, 4789, 64, SourcePortRange.DEFAULT, 1500,
            new RecordingTransmitter());
    }

    @AfterEach
    void tearDown() throws IOException
    {
        namespaces.close();
    }

    @Test
    void aSecondInstanceCannotBindThePortTheFirstHolds() throws Exception
    {
        try (UnderlayReceiver first = NetworkNamespace.call(ns,
            () -> UnderlayReceiver.open(LOCAL, 4789, List.of(), plane.overlayPipeline())))
        {
            final IOException refused = assertThrows(IOException.class, () -> NetworkNamespace.call(ns,
                () -> UnderlayReceiver.open(LOCAL, 4789, List.of(), plane.overlayPipeline())));
            assertTrue(refused.getMessage().contains("4789"), refused.getMessage());
        }
        // once the first is closed, the port is free again
        NetworkNamespace.call(ns, () -> UnderlayReceiver.open(LOCAL, 4789, List.of(), plane.overlayPipeline())).close();
    }
}
