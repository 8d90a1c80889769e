package io.vtep.fdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Runs {@link MacFlood} in a JVM of its own with a 64 MiB heap: a million random MACs on a VNI
 * without a MAC limit, default settings. The global cap sized from the heap keeps the FDB within a
 * quarter of it and the writer alive (issue 15, failure 1: on the old code the writer died of
 * {@code OutOfMemoryError}). About two seconds.
 */
class MacFloodTest
{
    @Test
    void aMillionRandomMacsOnAnUnlimitedVniDoNotRunTheWriterOutOfHeap() throws IOException, InterruptedException
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new ArrayList<>(List.of(java));
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-"))
            {
                command.add(argument); // the flags vtep's JVMs run with (Agrona's Unsafe access)
            }
        }
        command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            MacFlood.class.getName()));
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .start();
        final boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!exited)
        {
            process.destroyForcibly();
        }
        assertTrue(exited, "the flood did not finish in 120 s: " + output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.startsWith("OK "), output);
        System.out.println("MacFlood (64 MiB heap): " + output);
    }
}
