package io.vtep.encap;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the reference captures of testdata/captures (see its README.md). Surefire runs
 * tests with the module directory as {@code user.dir}, so they are one level up. A missing
 * capture fails the test: these are golden inputs, and a skipped golden test proves nothing.
 */
final class Captures
{
    static final String KERNEL_VXLAN_IPV4 = "kernel-vxlan-ipv4.pcap";
    static final String KERNEL_VXLAN_IPV6 = "kernel-vxlan-ipv6.pcap";
    static final String FRR_EVPN_IBGP = "frr-evpn-ibgp.pcap";

    private Captures()
    {
    }

    static Path directory()
    {
        final Path directory = Path.of(System.getProperty("user.dir")).resolve("../testdata/captures").normalize();
        if (!Files.isDirectory(directory))
        {
            fail("reference captures not found at " + directory + " (resolved from user.dir=" +
                System.getProperty("user.dir") + "/../testdata/captures; run the tests from the encap module " +
                "directory, as Maven does, in a checkout that has the repository's testdata/captures)");
        }
        return directory;
    }

    static PcapFile read(final String name)
    {
        final Path file = directory().resolve(name);
        if (!Files.isRegularFile(file))
        {
            fail("reference capture missing: " + file);
        }
        try
        {
            return PcapFile.read(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
