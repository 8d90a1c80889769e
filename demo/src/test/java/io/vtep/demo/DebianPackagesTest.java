package io.vtep.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.Requirements;
import io.vtep.topology.VtepProcess;

/**
 * The demo's first-run step on a fresh machine (issue 16): the code {@code bin/vtep demo} runs to
 * install missing Debian packages ({@code scripts/debian-packages.sh}, sourced by
 * {@code scripts/demo-prepare.sh}), run against a package that is really absent: GNU hello, small
 * and needed by nothing. It is removed first if a previous run left it, installed by the step, found
 * present, left alone by a second run, and removed again afterwards.
 */
class DebianPackagesTest
{
    private static final String PACKAGE = "hello";
    private static final Duration APT = Duration.ofMinutes(3);

    private Path library;

    @BeforeEach
    void absent()
    {
        Requirements.requireRoot();
        Requirements.requireTools("dpkg", "apt-get");
        library = VtepProcess.repositoryRoot().resolve("scripts/debian-packages.sh");
        remove();
        assertFalse(installed(), PACKAGE + " is absent before the step runs");
    }

    @AfterEach
    void remove()
    {
        Commands.run(APT, List.of("dpkg", "--purge", PACKAGE));
    }

    private static boolean installed()
    {
        return Commands.run(Duration.ofSeconds(10), List.of("sh", "-c", "dpkg -s " + PACKAGE + " | grep -q '^Status: install ok installed$'")).ok();
    }

    private ExecResult installStep()
    {
        return Commands.run(APT, List.of("bash", "-c", "source \"$0\" && install_missing_packages \"$1\"", library.toString(), PACKAGE));
    }

    @Test
    void aMissingPackageIsInstalledAndAPresentOneLeftAlone()
    {
        final ExecResult first = installStep();
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.stdout().contains("vtep demo: installing what it needs from Debian: " + PACKAGE), first::toString);
        assertTrue(installed(), () -> PACKAGE + " installed by the step (Debian's archive must be reachable): " + first);
        final ExecResult runs = Commands.run(Duration.ofSeconds(10), List.of("/usr/bin/hello"));
        assertEquals("Hello, world!", runs.stdout().strip(), runs::toString);

        final ExecResult second = installStep();
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("", second.stdout(), "nothing to install the second time: apt is not touched");
    }
}
