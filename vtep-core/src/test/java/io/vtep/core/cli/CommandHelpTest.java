package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --help} on every command and subcommand of {@code bin/vtep} (exit 0, the command's usage on
 * standard output), and {@code vtep completion bash}: a script that bash sources and that completes
 * subcommands and options.
 */
class CommandHelpTest
{
    /** Every command path of Main.run's tree: a new command belongs here. */
    private static final List<List<String>> COMMANDS = List.of(List.of("run"), List.of("check"), List.of("health"), List.of("demo"),
        List.of("fdb"), List.of("fdb", "show"), List.of("fdb", "add"), List.of("fdb", "del"), List.of("fdb", "append"),
        List.of("fdb", "flush"), List.of("reload"), List.of("vni"), List.of("vni", "list"), List.of("bgp"), List.of("bgp", "summary"),
        List.of("bgp", "routes"), List.of("bgp", "clear-duplicate"), List.of("capture"), List.of("version"), List.of("completion"));

    private record Run(int exit, String out, String err)
    {
    }

    private static Run vtep(final List<String> args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(args.toArray(String[]::new), new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandAndSubcommandHasHelp()
    {
        for (final List<String> command : COMMANDS)
        {
            final List<String> args = new ArrayList<>(command);
            args.add("--help");
            final Run help = vtep(args);
            final String name = "vtep " + String.join(" ", command);
            assertEquals(0, help.exit(), () -> name + " --help: " + help.err());
            assertTrue(help.out().startsWith("Usage: " + name + " "), () -> name + " --help: " + help.out());
            assertTrue(help.out().contains("-h, --help"), () -> name + " --help: " + help.out());
            assertEquals("", help.err(), name);
        }
        final Run helpFdb = vtep(List.of("help", "fdb"));
        assertEquals(0, helpFdb.exit(), helpFdb::err);
        assertTrue(helpFdb.out().startsWith("Usage: vtep fdb "), helpFdb::out);
    }

    @Test
    void showCommandsOfferJsonInTheirHelp()
    {
        for (final List<String> command : List.of(List.of("fdb", "show"), List.of("vni", "list"), List.of("bgp", "summary"),
            List.of("bgp", "routes"), List.of("version")))
        {
            final List<String> args = new ArrayList<>(command);
            args.add("--help");
            assertTrue(vtep(args).out().contains("--json"), String.join(" ", command));
        }
    }

    @Test
    void usageErrorsKeepVtepsWordsAndExitTwo()
    {
        final Run unknown = vtep(List.of("frobnicate"));
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("vtep: unknown command 'frobnicate'\n"), unknown::err);
        final Run sub = vtep(List.of("fdb", "shw"));
        assertEquals(2, sub.exit());
        assertTrue(sub.err().startsWith("vtep fdb: unknown subcommand 'shw'\n"), sub::err);
        final Run noValue = vtep(List.of("vni", "list", "--api"));
        assertEquals(2, noValue.exit());
        assertTrue(noValue.err().startsWith("vtep vni list: --api needs a value\n"), noValue::err);
        final Run atWord = vtep(List.of("fdb", "add", "@/etc/hostname", "vni", "100", "dst", "192.0.2.7"));
        assertEquals(2, atWord.exit());
        assertTrue(atWord.err().startsWith("vtep fdb add: @/etc/hostname is not a MAC address"), "a word, not a file to read: " + atWord.err());
        final Run noConfig = vtep(List.of("run"));
        assertEquals(2, noConfig.exit());
        assertEquals("usage: vtep run --config FILE\n", noConfig.err());
    }

    @Test
    void bashCompletesSubcommandsAndOptions(@TempDir final Path dir) throws IOException, InterruptedException
    {
        final Run completion = vtep(List.of("completion", "bash"));
        assertEquals(0, completion.exit(), completion::err);
        final Path script = Files.writeString(dir.resolve("vtep-completion.bash"), completion.out());
        assertEquals("clear-duplicate", complete(script, "vtep", "bgp", "cle"));
        assertEquals("show", complete(script, "vtep", "fdb", "sh"));
        final String options = complete(script, "vtep", "fdb", "show", "--");
        assertTrue(List.of(options.split(" ")).containsAll(List.of("--json", "--vni", "--api")), options);
        assertEquals(2, vtep(List.of("completion", "fish")).exit());
    }

    /** What bash offers for the last word, by the script's completion function, as {@code COMPREPLY} joined by spaces. */
    private static String complete(final Path script, final String... words) throws IOException, InterruptedException
    {
        // compopt works only inside a completion bash itself invokes: a no-op stands in for it here.
        final String line = "source " + script + "; compopt() { :; }; COMP_WORDS=(" + String.join(" ", words) + "); COMP_CWORD=" + (words.length -
            1) +
            "; COMP_LINE='" + String.join(" ", words) + "'; COMP_POINT=${#COMP_LINE}; _complete_vtep; echo \"${COMPREPLY[*]}\"";
        final Process bash = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
        final String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash ended");
        assertEquals(0, bash.exitValue(), "bash (needed to test the completion script) ran it: " + output);
        return output;
    }
}
