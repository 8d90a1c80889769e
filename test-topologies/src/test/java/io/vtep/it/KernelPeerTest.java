package io.vtep.it;

import org.junit.jupiter.api.BeforeEach;

/**
 * A test on the {@link KernelPeerTopology} (kernel VTEP learning), built fresh for each test
 * method on the {@link TopologyTest}'s topology.
 */
abstract class KernelPeerTest extends TopologyTest
{
    protected KernelPeerTopology net;

    @BeforeEach
    final void buildKernelPeerTopology()
    {
        net = new KernelPeerTopology(topology, true);
    }
}
