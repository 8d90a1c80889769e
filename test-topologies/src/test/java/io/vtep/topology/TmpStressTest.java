package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.junit.jupiter.api.Test;

class TmpStressTest {
    @Test
    void captureStartIsReal() {
        try (Topology topo = Topology.create()) {
            Netns a = topo.namespace("a");
            Netns z = topo.namespace("z");
            topo.link(a, "eth0", z, "eth0");
            a.addAddress("eth0", "10.9.0.1/24");
            z.addAddress("eth0", "10.9.0.2/24");
            a.execOk("ping", "-c", "1", "10.9.0.2");
            for (int i = 0; i < 25; i++) {
                long t0 = System.nanoTime();
                Tshark cap = topo.capture(z, "eth0", "icmp");
                long t1 = System.nanoTime();
                a.execOk("ping", "-c", "1", "-W", "1", "10.9.0.2");
                int n = cap.packetCount();
                long t2 = System.nanoTime();
                System.out.printf("iter %d start %d ms total %d ms packets %d%n", i, (t1 - t0) / 1_000_000, (t2 - t0) / 1_000_000, n);
                System.out.println(cap.process().output().replace("\n", " | "));
                assertEquals(2, n);
            }
        }
    }
}
