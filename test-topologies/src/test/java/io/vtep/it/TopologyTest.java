package io.vtep.it;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.vtep.topology.Host;
import io.vtep.topology.Netns;
import io.vtep.topology.Topology;

/**
 * A test on a {@link Topology} of its own: what it needs on the machine is checked first (a
 * missing tool fails the test, see {@code Requirements}), then a fresh topology is created for
 * each test method and closed after it, also when the test failed. A subclass's own
 * {@code @BeforeEach} runs after this one's, so it can build on {@link #topology}.
 */
public abstract class TopologyTest
{
    protected Topology topology;

    /** Calls the {@code Requirements} checks the test needs; runs before the topology is created. */
    protected abstract void requirements();

    @BeforeEach
    protected final void createTopology()
    {
        requirements();
        topology = Topology.create();
    }

    @AfterEach
    protected final void closeTopology()
    {
        if (topology != null)
        {
            topology.close();
        }
    }

    /**
     * One underlay segment: a bridge in namespace "ul" with one link to each of {@code vteps}
     * (interface ul0), which get 192.0.2.1, 192.0.2.2... in the order given.
     */
    protected final void switchedUnderlay(final List<Netns> vteps)
    {
        final List<String> addresses = IntStream.rangeClosed(1, vteps.size()).mapToObj(n -> "192.0.2." + n + "/24").toList();
        topology.switchedSegment(topology.namespace("ul"), "sw0", "ul0", vteps, addresses);
    }

    /** New namespaces named {@code names}, on one {@link #switchedUnderlay(List) underlay segment} in that order. */
    protected final List<Netns> switchedUnderlay(final String... names)
    {
        final List<Netns> vteps = Stream.of(names).map(topology::namespace).toList();
        switchedUnderlay(vteps);
        return vteps;
    }

    /**
     * Hosts behind a VTEP of a 1500-byte underlay: eth0 at 1450 leaves room for the 50 bytes of VXLAN
     * over IPv4 (RFC 7348 §5), as the kernel's VXLAN device does for itself.
     */
    protected static void vxlanMtu(final Host... hosts)
    {
        for (final Host host : hosts)
        {
            host.netns().setMtu("eth0", 1450);
        }
    }
}
