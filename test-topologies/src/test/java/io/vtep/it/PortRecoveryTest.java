package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.core.port.PortLink;
import io.vtep.topology.PingResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.Wait;

/**
 * Access ports follow their interface by name (issue 15, failure 4): the access link deleted and
 * made again under the same name (new ifindex), and taken down and up, while vtep runs. Forwarding
 * must resume without a restart, and {@code /readyz} must say the port is not forwarding meanwhile.
 * The time to recover is measured and printed, not asserted (only a generous bound).
 */
class PortRecoveryTest extends KernelPeerTest
{
    /** Generous: recovery takes well under a second here; this only catches "never". */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

    private InProcessVtep vtep;

    @Override
    protected void requirements()
    {
        Requirements.requireTools("ping");
    }

    private void start(final int pipelines) throws Exception
    {
        start(net.vtepConfig("api: { listen: 127.0.0.1:9100 }\ndataplane: { pipelines: " + pipelines + " }"));
    }

    private void start(final String yaml) throws Exception
    {
        vtep = InProcessVtep.start(topology, net.vtepNs, yaml);
        final PingResult ping = net.h1.ping("10.0.0.2", 3);
        assertEquals(3, ping.received(), () -> ping + "\n" + topology.diagnostics());
        assertEquals("200 ready", readyz());
    }

    @Test
    void accessLinkDeletedAndRecreatedResumesForwardingWithoutRestart() throws Exception
    {
        start(1);
        deleteAndRecreate();
        final String metrics = get("/metrics");
        assertTrue(metrics.contains("vtep_port_reopens_total{port=\"acc1\"} 1"), "vtep_port_reopens_total 1");
        assertTrue(metrics.contains("vtep_thread_deaths_total{thread=\"vtep-pipeline-0\"} 0"), "deaths series exist, 0");
    }

    /** Two pipelines: the port's receive sockets are a PACKET_FANOUT group, which must be made again. */
    @Test
    void withTwoPipelinesTheFanoutGroupIsRemade() throws Exception
    {
        start(2);
        deleteAndRecreate();
        assertTrue(net.h1.ping("10.0.0.2", 20).allReceived(), "after the group was made again");
    }

    /** The pcap driver's port thread re-opens its libpcap handle the same way. */
    @Test
    void aPcapPortFollowsItsInterfaceToo() throws Exception
    {
        start(net.vtepConfig("api: { listen: 127.0.0.1:9100 }").replace("vlans: { untagged:", "driver: pcap\n    vlans: { untagged:"));
        assertTrue(get("/metrics").contains("vtep_thread_deaths_total{thread=\"vtep-port-acc1\"} 0"), "a pcap port thread");
        deleteAndRecreate();
    }

    private void deleteAndRecreate()
    {
        final int oldIndex = link().interfaceIndex();

        // Deleting h1's end deletes the pair: acc1 is gone from vtep's namespace.
        net.h1.netns().ip("link", "del", "eth0");
        final String absent = Wait.until(RECOVERY_BOUND, this::readyz, r -> r.startsWith("503"), "/readyz not ready");
        assertEquals("503 not ready: access port acc1 is absent (no interface of that name)", absent);
        assertEquals(PortLink.State.ABSENT, link().state());
        assertEquals("200 {\"ports\":[{\"port\":\"acc1\",\"state\":\"absent\",\"ifindex\":0,\"reopens\":0}]}",
            get("/api/v1/ports"));
        assertTrue(get("/metrics").contains("vtep_port_state{port=\"acc1\"} -1"), "vtep_port_state -1 (absent)");

        // The same veth pair made again, the host addressed again: a new acc1 with a new index.
        final long start = System.nanoTime();
        topology.link(net.h1.netns(), "eth0", net.vtepNs, "acc1");
        net.h1.netns().setMtu("eth0", KernelPeerTopology.OVERLAY_MTU);
        net.h1.netns().addAddress("eth0", "10.0.0.1/24");
        final double ready = awaitReady(start);
        final double recovered = awaitPing(start);
        System.out.printf("PortRecoveryTest: access link deleted and recreated: first reply %.3f s, /readyz ready %.3f s " +
            "after the link was made again%n", recovered, ready);

        final PingResult after = net.h1.ping("10.0.0.2", 5);
        assertEquals(5, after.received(), () -> after + "\n" + topology.diagnostics());
        assertTrue(net.h2.ping("10.0.0.1", 2).allReceived(), "and the other way");
        assertNotEquals(oldIndex, link().interfaceIndex(), "re-opened on the new interface");
        assertEquals(PortLink.State.UP, link().state());
        assertEquals(1, link().reopens());
        assertEquals("200 {\"ports\":[{\"port\":\"acc1\",\"state\":\"up\",\"ifindex\":" + link().interfaceIndex() + ",\"reopens\":1}]}", get(
            "/api/v1/ports"));
    }

    @Test
    void accessLinkDownAndUpResumesForwarding() throws Exception
    {
        start(1);
        final int index = link().interfaceIndex();
        net.vtepNs.down("acc1");
        final String down = Wait.until(RECOVERY_BOUND, this::readyz, r -> r.startsWith("503"), "/readyz not ready");
        assertEquals("503 not ready: access port acc1 is down (ifindex " + index + ")", down);
        assertEquals(0, net.h1.ping("10.0.0.2", 2).received(), "nothing crosses a port that is down");

        final long start = System.nanoTime();
        net.vtepNs.up("acc1");
        final double ready = awaitReady(start);
        final double recovered = awaitPing(start);
        System.out.printf("PortRecoveryTest: access link down and up: first reply %.3f s, /readyz ready %.3f s after up%n",
            recovered, ready);

        final PingResult after = net.h1.ping("10.0.0.2", 5);
        assertEquals(5, after.received(), () -> after + "\n" + topology.diagnostics());
        assertEquals(index, link().interfaceIndex());
        assertEquals(1, link().reopens());
    }

    /** Renamed away, the port is absent; an interface renamed to its name is followed (same index here). */
    @Test
    void anAccessPortRenamedAwayAndBackIsFollowed() throws Exception
    {
        start(1);
        final int index = link().interfaceIndex();
        net.vtepNs.down("acc1");
        net.vtepNs.ip("link", "set", "acc1", "name", "spare1");
        Wait.until(RECOVERY_BOUND, this::readyz, r -> r.endsWith("access port acc1 is absent (no interface of that name)"),
            "/readyz: acc1 absent once renamed");

        net.vtepNs.ip("link", "set", "spare1", "name", "acc1");
        net.vtepNs.up("acc1");
        awaitReady(System.nanoTime());
        final PingResult after = net.h1.ping("10.0.0.2", 3);
        assertEquals(3, after.received(), () -> after + "\n" + topology.diagnostics());
        assertEquals(index, link().interfaceIndex());
        assertEquals(1, link().reopens());
    }

    private PortLink link()
    {
        return vtep.appliance().portLinks().getFirst();
    }

    /** Seconds from {@code start} to the first ping reply from h2 (pings of 1 s timeout each). */
    private double awaitPing(final long start)
    {
        Wait.until(RECOVERY_BOUND, () -> net.h1.ping("10.0.0.2", 1).received() == 1,
            "a reply from h2 through the re-opened port");
        return (System.nanoTime() - start) / 1e9;
    }

    private double awaitReady(final long start)
    {
        Wait.until(RECOVERY_BOUND, this::readyz, "200 ready"::equals, "/readyz ready again");
        return (System.nanoTime() - start) / 1e9;
    }

    /** "STATUS body" of GET /readyz, from a client inside vtep's namespace. */
    private String readyz()
    {
        return get("/readyz");
    }

    /** "STATUS body" of a GET on vtep's API, from a client inside vtep's namespace. */
    private String get(final String path)
    {
        try
        {
            return NetworkNamespace.call(net.vtepNs.name(), () ->
            {
                try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(3)).build())
                {
                    final HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:9100" + path)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() + " " + response.body().strip();
                }
            });
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("GET " + path + ": " + ex, ex);
        }
    }
}
