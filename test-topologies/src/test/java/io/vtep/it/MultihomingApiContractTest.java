package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.ApiResponse;
import io.vtep.core.api.ApiRouter;
import io.vtep.core.api.BgpDocuments;
import io.vtep.core.lacp.LacpActorIdentity;
import io.vtep.core.lacp.LacpPduQueue;
import io.vtep.core.lacp.LacpPort;
import io.vtep.core.lacp.LacpPortMachine;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.port.AccessPort;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.evpn.codec.nlri.EthernetSegmentId;
import io.vtep.evpn.controlplane.EvpnControlPlane;
import io.vtep.evpn.controlplane.EvpnSettings;
import io.vtep.evpn.controlplane.EvpnVniSettings;
import io.vtep.evpn.multihoming.DfAlgorithm;
import io.vtep.evpn.multihoming.EthernetSegmentSettings;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;
import io.vtep.topology.VtepProcess;

/**
 * Issue 18's additions to the API answer as {@code docs/openapi.yaml} says, without root or a
 * network: {@code GET /api/v1/es} with a segment whose port runs LACP (its {@code lacp} object), and
 * {@code GET /api/v1/fdb} with an EVPN entry of a MAC on a remote segment ({@code alias_vteps}).
 * {@link OpenApiConformanceTest} checks every route of a running vtep, whose configuration has
 * neither.
 */
class MultihomingApiContractTest
{
    /** An access port that is only its name (what the API reads of it); any other call does nothing. */
    private static AccessPort port(final String name)
    {
        return (AccessPort)Proxy.newProxyInstance(AccessPort.class.getClassLoader(), new Class<?>[] {AccessPort.class},
            (proxy, method, args) -> method.getName().equals("name") ? name : method.getReturnType() == boolean.class ? Boolean.TRUE :
                method.getReturnType() == int.class ? Integer.valueOf(0) : null);
    }

    @Test
    void segmentsWithLacpAndEntriesWithAliasGroupsAnswerAsTheDocumentSays() throws Exception
    {
        final Fdb fdb = new Fdb(FdbSettings.defaults());
        fdb.addVni(100, LearningMode.EVPN, 0, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        final PortContext acc1 = tables.addPort(port("acc1"));
        tables.attach(acc1, Attachment.UNTAGGED, tables.addVni(100));
        acc1.lacp(new LacpPort(0, acc1.port(), new LacpPortMachine(new LacpActorIdentity(65535, MacAddress.parse("02:00:00:00:aa:01"),
            4660, 255, 513), true, true), new LacpPduQueue(8)));
        final RemoteVtep gw7 = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.7"));
        final RemoteVtep gw8 = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.8"));
        fdb.aliasGroups().set(1, new RemoteVtep[] {gw7, gw8});
        assertTrue(fdb.putEvpn(100, MacAddress.parse("02:00:00:00:00:0e"), gw7, false, 1));
        assertTrue(fdb.putEvpn(100, MacAddress.parse("02:00:00:00:00:0f"), gw8, false));

        final Inet4Address routerId = (Inet4Address)InetAddress.getByName("192.0.2.1");
        final EthernetSegmentSettings segment = new EthernetSegmentSettings("acc1", EthernetSegmentId.parse("00:11:22:33:44:55:66:77:88:99"),
            DfAlgorithm.MODULO, 0, Duration.ofSeconds(3600), false, List.of(100), Set.of(0));
        final OpenApiContract contract = new OpenApiContract(Files.readString(VtepProcess.repositoryRoot().resolve("docs/openapi.yaml")));
        try (EvpnControlPlane evpn = new EvpnControlPlane(new EvpnSettings(65000, routerId, VtepAddress.of(routerId),
            List.of(EvpnVniSettings.auto(100)), 5, Duration.ofSeconds(180), null, List.of(segment)), fdb))
        {
            evpn.start();
            final ApiRouter router = new ApiRouter(fdb, tables, new CounterSnapshotSource(new CounterLayout(1, 16)),
                accept -> ApiResponse.text(200, ""), () -> null, "test", new BgpDocuments(() -> null, null, evpn));
            for (final String uri : List.of("/api/v1/es", "/api/v1/fdb"))
            {
                final ApiResponse response = router.handle("GET", uri, null);
                assertEquals(200, response.status(), response::bodyText);
                assertEquals(List.of(), contract.check(new OpenApiContract.Exchange("GET", uri, 200, response.contentType(), Map.of(),
                    response.body())), uri + " as docs/openapi.yaml says: " + response.bodyText());
            }
            assertTrue(router.handle("GET", "/api/v1/es", null).bodyText().contains("\"lacp\":{\"distributing\":false"));
            assertTrue(router.handle("GET", "/api/v1/fdb", null).bodyText().contains(
                "\"remote\":\"192.0.2.7\",\"alias_vteps\":[\"192.0.2.7\",\"192.0.2.8\"]"));
        }
    }
}
