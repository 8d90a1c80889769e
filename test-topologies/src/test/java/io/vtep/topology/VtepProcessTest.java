package io.vtep.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VtepProcess} against a stand-in launcher (a shell script at {@code bin/vtep} of a fake
 * repository root), so the library's part is tested whatever state the appliance is in.
 */
@Timeout(60)
class VtepProcessTest
{

    @TempDir
    Path fakeRepo;
    private String savedRoot;

    @BeforeAll
    static void requirements()
    {
        Requirements.requireTopology();
    }

    @BeforeEach
    void fakeLauncher() throws IOException
    {
        Path bin = Files.createDirectories(fakeRepo.resolve("bin"));
        Path launcher = bin.resolve("vtep");
        // Prints its namespace and config, announces readiness, exits 0 on SIGTERM; exits 2 on a "bad" config.
        Files.writeString(launcher, """
            #!/bin/sh
            [ "$1" = run ] && [ "$2" = --config ] || { echo "usage: vtep run --config FILE" >&2; exit 64; }
            if grep -q bad "$3"; then echo "config error: vnis[0].vni: out of range" >&2; exit 2; fi
            echo "netns: $(ip netns identify $$)"
            echo "config: $(tr '\\n' ' ' < "$3")"
            trap 'echo "vtep stopping"; exit 0' TERM
            echo "vtep started"
            while :; do sleep 0.05; done
            """);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        savedRoot = System.getProperty(VtepProcess.REPO_ROOT_PROPERTY);
        System.setProperty(VtepProcess.REPO_ROOT_PROPERTY, fakeRepo.toString());
    }

    @AfterEach
    void restore()
    {
        if (savedRoot == null)
        {
            System.clearProperty(VtepProcess.REPO_ROOT_PROPERTY);
        }
        else
        {
            System.setProperty(VtepProcess.REPO_ROOT_PROPERTY, savedRoot);
        }
    }

    @Test
    void startsInTheNamespaceWithItsConfigAndStopsWithSigterm()
    {
        try (Topology topo = Topology.create())
        {
            Netns ns = topo.namespace("gw");
            VtepProcess vtep = topo.startVtep(ns, "vtep:\n  local-ip: 192.0.2.1\n");

            assertTrue(vtep.isAlive());
            assertTrue(vtep.output().contains("netns: " + ns.name()), vtep.output());
            assertTrue(vtep.output().contains("config: vtep:   local-ip: 192.0.2.1"), vtep.output());
            assertTrue(Files.exists(vtep.configFile()));

            assertEquals(0, vtep.stop(), "the launcher's TERM trap exits 0\n" + vtep.output());
            assertTrue(vtep.output().contains("vtep stopping"));
            assertFalse(vtep.isAlive());
        }
    }

    @Test
    void aVtepThatExitsEarlyFailsReadinessWithItsOutput()
    {
        try (Topology topo = Topology.create())
        {
            Netns ns = topo.namespace("gw");
            AssertionError e = assertThrows(AssertionError.class, () -> topo.startVtep(ns, "bad: true\n"));
            assertTrue(e.getMessage().contains("exited with 2"), e.getMessage());
            assertTrue(e.getMessage().contains("vnis[0].vni: out of range"), e.getMessage());

            VtepProcess launched = topo.launchVtep(ns, "bad: true\n");
            assertEquals(2, launched.waitForExit(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aVtepLeftRunningIsStoppedAtTeardown()
    {
        VtepProcess vtep;
        try (Topology topo = Topology.create())
        {
            vtep = topo.startVtep(topo.namespace("gw"), "vtep: {}\n");
        }
        assertFalse(vtep.isAlive());
        assertEquals(0, vtep.exitCode().orElseThrow());
    }

    @Test
    void repositoryRootIsFoundFromTheModuleDirectory()
    {
        System.clearProperty(VtepProcess.REPO_ROOT_PROPERTY);
        Path root = VtepProcess.repositoryRoot();
        assertTrue(Files.isDirectory(root.resolve("test-topologies")), root.toString());
        assertTrue(Files.isRegularFile(root.resolve("mvnw")), root.toString());
    }
}
