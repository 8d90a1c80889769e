package io.vtep.core.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import io.vtep.core.config.ConfigException;
import io.vtep.core.config.ConfigLoader;
import io.vtep.core.config.VtepConfig;

/**
 * {@code vtep check --config FILE}: the validation that {@code run} and every reload do, with
 * nothing started and nothing opened, for CI pipelines and configuration management (like
 * {@code nginx -t} or FRR's {@code vtysh --dryrun}). Exit 0 with "ok" and a one-line summary, or 2
 * with the error and its key path. Whether the named interfaces and {@code local-ip} exist on this
 * host is not checked: the file is often checked on another machine than the gateway.
 */
final class CheckCommand
{
    static final String USAGE = "usage: vtep check --config FILE";

    private CheckCommand()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Path file = ConfigOption.parse(args, USAGE, err);
        if (file == null)
        {
            return Main.EXIT_USAGE;
        }
        final VtepConfig config;
        try
        {
            config = ConfigLoader.load(file);
        }
        catch (final ConfigException ex)
        {
            err.println("vtep: configuration error in " + file + ": " + ex.getMessage());
            return Main.EXIT_USAGE;
        }
        out.println("ok: " + file + ": " + summary(config));
        return Main.EXIT_OK;
    }

    static String summary(final VtepConfig config)
    {
        final long mappings = config.ports().stream().mapToLong(port -> port.vlans().size()).sum();
        return "local-ip " + config.vtep().localIp() + ", " + config.ports().size() + " port(s) with " + mappings +
            " VLAN mapping(s), " + config.vnis().size() + " VNI(s), " + config.fdb().staticEntries().size() +
            " static entr" + (config.fdb().staticEntries().size() == 1 ? "y" : "ies") + ", " +
            (config.bgp() == null ? "no bgp" : "bgp AS " + config.bgp().asn() + " with " + config.bgp().neighbors().size() +
                " neighbor(s)") + ", api " + config.api().host() + ":" + config.api().port();
    }
}
