package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@link Topology#close()} promises: nothing with the prefix survives, whatever the test did. */
@Timeout(60)
class TeardownTest
{

    @BeforeAll
    static void requirements()
    {
        Requirements.requireTopology();
    }

    private static List<String> namespacesWith(String prefix)
    {
        return Topology.listNamespaces().stream().filter(n -> n.startsWith(prefix + "-")).toList();
    }

    @Test
    void everythingIsGoneAfterCloseEvenWhenTheBodyThrew()
    {
        String[] prefix = new String[1];
        ManagedProcess[] spawned = new ManagedProcess[1];
        long[] strayPid = new long[1];
        Path[] workDir = new Path[1];

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
        {
            try (Topology topo = Topology.create())
            {
                prefix[0] = topo.prefix();
                workDir[0] = topo.workDir();
                Netns a = topo.namespace("a");
                Netns b = topo.namespace("b");
                topo.link(a, "eth0", b, "eth0");
                topo.kernelVtep(a).vni(42).localIp("192.0.2.1").create();
                spawned[0] = a.spawn("sleep", "600");
                // A process the topology does not know about: it would keep the namespace's
                // devices alive after `ip netns del` if teardown did not kill it.
                strayPid[0] = Long.parseLong(b.execOk("sh", "-c", "setsid sleep 600 >/dev/null 2>&1 < /dev/null & echo $!")
                    .stdout().strip());
                assertTrue(ProcessHandle.of(strayPid[0]).isPresent(), "stray process runs");
                assertEquals(2, namespacesWith(topo.prefix()).size());
                throw new IllegalStateException("the test body failed halfway");
            }
        });

        assertEquals("the test body failed halfway", thrown.getMessage());
        assertEquals(List.of(), namespacesWith(prefix[0]), "namespaces left with prefix " + prefix[0]);
        assertFalse(spawned[0].isAlive(), "spawned process stopped");
        assertFalse(ProcessHandle.of(strayPid[0]).map(ProcessHandle::isAlive).orElse(false),
            "process started inside the namespace behind the topology's back is killed");
        assertFalse(Files.exists(workDir[0]), "work directory removed");
    }

    @Test
    void closeIsIdempotentAndTheTopologyRefusesWorkAfterIt()
    {
        Topology topo = Topology.create();
        topo.namespace("x");
        topo.close();
        topo.close();
        assertTrue(topo.isClosed());
        assertEquals(List.of(), namespacesWith(topo.prefix()));
        assertThrows(IllegalStateException.class, () -> topo.namespace("y"));
    }

    /** The demo's way: its own prefix, refused when taken; release() leaves it all running, close() is then a no-op. */
    @Test
    void aNamedTopologyReleasedKeepsItsNamespacesProcessesAndFiles()
    {
        String prefix = "vtrel" + ProcessHandle.current().pid();
        Topology topo = Topology.named(prefix);
        ManagedProcess sleeper = null;
        try
        {
            assertEquals(prefix, topo.prefix());
            Netns a = topo.namespace("a");
            sleeper = a.spawn("sleep", "600");
            assertThrows(IllegalStateException.class, () -> Topology.named(prefix), "a prefix in use is refused");

            topo.release();
            topo.close();

            assertTrue(topo.isClosed());
            assertEquals(List.of(prefix + "-a"), namespacesWith(prefix), "the namespace outlives release and close");
            assertTrue(sleeper.isAlive(), "so does the process in it");
            assertTrue(Files.isDirectory(topo.workDir()), "and the work dir");
            assertThrows(IllegalStateException.class, () -> topo.namespace("b"));
        }
        finally
        {
            if (sleeper != null)
            {
                sleeper.stop();
            }
            Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", prefix + "-a"));
            Commands.run(Duration.ofSeconds(10), List.of("rm", "-rf", "--", topo.workDir().toString()));
        }
    }

    @Test
    void namespacesMadeOutsideTheBookkeepingButWithThePrefixAreDeletedToo()
    {
        String prefix;
        try (Topology topo = Topology.create())
        {
            prefix = topo.prefix();
            Commands.runOk("ip", "netns", "add", prefix + "-stray");
        }
        assertEquals(List.of(), namespacesWith(prefix));
    }

    @Test
    void prefixesAreUniqueAndInterfaceNamesFit()
    {
        try (Topology t1 = Topology.create(); Topology t2 = Topology.create())
        {
            assertTrue(t1.prefix().matches("vt[a-z0-9]{5}"), t1.prefix());
            assertFalse(t1.prefix().equals(t2.prefix()));
            Netns a = t1.namespace("a");
            assertThrows(IllegalArgumentException.class, () -> t1.link(a, "much-too-long-ifname", a, "b"));
            assertThrows(IllegalArgumentException.class, () -> t1.namespace("a"), "role used twice");
        }
    }

    @Test
    void namespacesStartWithLoopbackUpAndIpv6Off()
    {
        try (Topology topo = Topology.create())
        {
            Netns plain = topo.namespace("plain");
            Netns dual = topo.namespaceWithIpv6("dual");
            assertEquals("1", plain.execOk("sysctl", "-n", "net.ipv6.conf.all.disable_ipv6").stdout().strip());
            assertEquals("1", plain.execOk("sysctl", "-n", "net.ipv6.conf.default.disable_ipv6").stdout().strip());
            assertEquals("0", dual.execOk("sysctl", "-n", "net.ipv6.conf.default.disable_ipv6").stdout().strip());
            assertTrue(plain.ip("-br", "link", "show", "dev", "lo").stdout().contains("UP"));
            assertTrue(plain.execOk("ping", "-c", "1", "-W", "1", "127.0.0.1").ok());
            topo.link(plain, "eth0", dual, "eth0");
            assertFalse(plain.ip("addr", "show", "dev", "eth0").stdout().contains("inet6"), "no IPv6 link-local address");
            assertThrows(IllegalStateException.class, () -> plain.addAddress("eth0", "2001:db8::1/64"));
            dual.addAddress("eth0", "2001:db8::1/64");
            Wait.until(Duration.ofSeconds(5), () -> !dual.ip("addr", "show", "dev", "eth0").stdout().contains("tentative"),
                "no DAD in an IPv6 namespace");
        }
    }

    @Test
    void failedCommandsSayWhatFailed()
    {
        try (Topology topo = Topology.create())
        {
            Netns a = topo.namespace("a");
            CommandFailedException e = assertThrows(CommandFailedException.class, () -> a.up("nosuchif"));
            assertTrue(e.getMessage().contains("ip -n " + a.name() + " link set dev nosuchif up"), e.getMessage());
            assertTrue(e.getMessage().contains("exit 1"), e.getMessage());
            assertTrue(e.getMessage().toLowerCase().contains("cannot find device"), e.getMessage());
        }
    }
}
