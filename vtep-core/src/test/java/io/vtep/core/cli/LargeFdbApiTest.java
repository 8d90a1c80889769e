package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Issue 15, failure 5: {@code GET /api/v1/fdb} and {@code vtep fdb show} on an FDB of a million MACs.
 * Before, the whole document was built in memory (and sorted as a million objects): with 1.46M
 * entries that was an OutOfMemoryError and a connection closed without a word. Now it is streamed
 * (chunked) from bounded pages and the command line reads it page by page, so both work in a heap
 * little bigger than the FDB itself: {@link LargeFdbProgram} runs in its own JVM with
 * {@value #HEAP} of heap, of which the FDB takes about 70 MB.
 */
class LargeFdbApiTest
{
    private static final int ENTRIES = 1_000_000;
    private static final String HEAP = "-Xmx160m";

    @Test
    void aMillionMacsAreStreamedAndListedInASmallHeap() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // The JVM flags vtep needs (add-opens, native access), not this JVM's heap size or agents.
            if (argument.startsWith("--add-opens") || argument.startsWith("--enable-native-access"))
            {
                command.add(argument);
            }
        }
        command.addAll(List.of(HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            LargeFdbProgram.class.getName(), Integer.toString(ENTRIES)));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final StringBuilder output = new StringBuilder();
        final Thread reader = Thread.ofVirtual().start(() ->
        {
            try
            {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                output.append("reading the program's output failed: ").append(ex);
            }
        });
        try
        {
            // About 20 s on 2 busy cores; the bound is only against a hang.
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the program did not end within 180 s");
        }
        finally
        {
            process.destroyForcibly();
            reader.join();
        }
        final String text = output.toString();
        final Map<String, String> results = results(text);
        assertEquals(0, process.exitValue(), text);
        assertEquals("200", results.get("stream_status"), text);
        assertEquals("chunked", results.get("stream_transfer_encoding"), text);
        assertEquals(Integer.toString(ENTRIES), results.get("stream_entries"), text);
        assertEquals("true", results.get("stream_complete"), text);
        assertEquals("0", results.get("cli_exit"), text);
        assertEquals(Integer.toString(ENTRIES), results.get("cli_lines"), text);
        assertEquals("true", results.get("cli_sorted"), text);
        System.out.println("LargeFdbApiTest figures: " + results);
    }

    private static Map<String, String> results(final String output)
    {
        final Map<String, String> results = new HashMap<>();
        for (final String line : output.split("\n"))
        {
            final int equals = line.indexOf('=');
            if (equals > 0 && line.substring(0, equals).matches("[a-z_]+"))
            {
                results.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return results;
    }
}
