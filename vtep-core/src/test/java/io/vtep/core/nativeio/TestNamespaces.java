package io.vtep.core.nativeio;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces and veth pairs for tests that need a real kernel: each namespace gets a
 * unique name ({@code vt-nio-<random>}), veth ends are created directly inside their namespaces,
 * and {@link #close()} deletes everything it created, also when the test failed (call it from
 * {@code @AfterEach}).
 */
public final class TestNamespaces implements AutoCloseable
{
    private final List<String> namespaces = new ArrayList<>();

    /** Fails (never skips) the test when not running as root. */
    public static void requireRoot()
    {
        if (!isRoot())
        {
            fail("this test needs root: it creates network namespaces and veth pairs (CAP_SYS_ADMIN, " +
                "CAP_NET_ADMIN) and opens packet and raw sockets (CAP_NET_RAW); run the build as root");
        }
    }

    private static boolean isRoot()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        }
        catch (final IOException ex)
        {
            return false;
        }
        return false;
    }

    /**
     * Creates a namespace with a unique name and loopback up.
     *
     * @param ipv6 false turns IPv6 off in it (before any interface exists), so that DAD, MLD and
     *     router solicitations never put frames on the test's links
     */
    public String create(final boolean ipv6) throws IOException
    {
        requireRoot();
        final String name = "vt-nio-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        run("ip", "netns", "add", name);
        namespaces.add(name);
        if (!ipv6)
        {
            exec(name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        }
        ip(name, "link", "set", "lo", "up");
        return name;
    }

    /** A veth pair with one end in each namespace, both up. */
    public void veth(final String namespace1, final String interface1, final String namespace2, final String interface2)
        throws IOException
    {
        run("ip", "link", "add", interface1, "netns", namespace1, "type", "veth",
            "peer", "name", interface2, "netns", namespace2);
        ip(namespace1, "link", "set", interface1, "up");
        ip(namespace2, "link", "set", interface2, "up");
        awaitRunning(namespace1, interface1);
        awaitRunning(namespace2, interface2);
    }

    /**
     * Waits until the kernel has activated the interface's transmit queue. "ip link set up" returns
     * before that: the activation (operstate UP, noop qdisc replaced by the real one) is done
     * asynchronously by linkwatch, and a frame sent in between is dropped by the noop qdisc while
     * send() still reports success. On a busy machine that window lasts long enough to lose a
     * test's first frames.
     */
    public static void awaitRunning(final String namespace, final String interfaceName) throws IOException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        String state = "";
        while (System.nanoTime() < deadline)
        {
            state = ip(namespace, "-o", "link", "show", "dev", interfaceName);
            if (state.contains("state UP") && !state.contains("qdisc noop"))
            {
                return;
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            }
        }
        throw new IOException(interfaceName + " in " + namespace + " did not come up within 10 s: " + state);
    }

    /** {@code ip -n NAMESPACE args...} */
    public static String ip(final String namespace, final String... args) throws IOException
    {
        final String[] command = new String[args.length + 3];
        command[0] = "ip";
        command[1] = "-n";
        command[2] = namespace;
        System.arraycopy(args, 0, command, 3, args.length);
        return run(command);
    }

    /** {@code ip netns exec NAMESPACE command...} */
    public static String exec(final String namespace, final String... commandInNamespace) throws IOException
    {
        final String[] command = new String[commandInNamespace.length + 4];
        command[0] = "ip";
        command[1] = "netns";
        command[2] = "exec";
        command[3] = namespace;
        System.arraycopy(commandInNamespace, 0, command, 4, commandInNamespace.length);
        return run(command);
    }

    /** Runs a command, returns its output, throws with the output when it fails. */
    public static String run(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0)
            {
                throw new IOException("failed (exit " + process.exitValue() + "): " + String.join(" ", command) + "\n" + output);
            }
            return output;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + Arrays.toString(command), ex);
        }
    }

    /** Deletes every namespace created here (their veth ends go with them). */
    @Override
    public void close() throws IOException
    {
        IOException failure = null;
        for (final String name : namespaces)
        {
            try
            {
                run("ip", "netns", "del", name);
            }
            catch (final IOException ex)
            {
                if (failure == null)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        namespaces.clear();
        if (failure != null)
        {
            throw failure;
        }
    }
}
