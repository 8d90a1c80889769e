package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vtep check --config FILE}: exit 0 with a summary, or 2 with the key path; nothing started. */
class CheckCommandTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(final String... args)
    {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path file(final String yaml) throws IOException
    {
        return Files.writeString(dir.resolve("vtep.yaml"), yaml);
    }

    @Test
    void aGoodFileIsOkWithASummary() throws IOException
    {
        // An interface that does not exist here and a local-ip that is not this host's: check does
        // not look at the host (the file is often checked elsewhere); run does.
        final Path file = file("""
            vtep: { local-ip: 198.51.100.1 }
            ports: [ { name: nosuchif0, vlans: { untagged: 100, 10: 200 } } ]
            vnis: [ { vni: 100, flood: [198.51.100.2] } ]
            """);

        assertEquals(0, check("check", "--config", file.toString()), err::toString);
        assertEquals("ok: " + file + ": local-ip 198.51.100.1, 1 port(s) with 2 VLAN mapping(s), 2 VNI(s), 0 static entries, " +
            "no bgp, api 127.0.0.1:9100\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadFileExitsTwoWithTheKeyPath() throws IOException
    {
        final Path file = file("""
            vtep: { local-ip: 198.51.100.1 }
            ports: [ { name: eth1, vlans: { 4095: 100 } } ]
            """);

        assertEquals(2, check("check", "--config=" + file));
        assertEquals("vtep: configuration error in " + file + ": ports[0].vlans.4095: VLAN 4095 is out of range 1..4094 " +
            "(0 and 4095 are reserved by 802.1Q)\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadLogSectionIsRefusedToo() throws IOException
    {
        final Path file = file("""
            vtep: { local-ip: 198.51.100.1 }
            ports: [ { name: eth1, vlans: { untagged: 100 } } ]
            log: { format: xml }
            """);

        assertEquals(2, check("check", "-c", file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(": log.format: expected one of text, json, found \"xml\""), err::toString);
    }

    @Test
    void withoutConfigItSaysHow()
    {
        assertEquals(2, check("check"));
        assertEquals("usage: vtep check --config FILE\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(2, check("check", "--config", dir.resolve("missing.yaml").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not exist"), err::toString);
    }
}
