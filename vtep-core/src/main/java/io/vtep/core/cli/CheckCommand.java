package io.vtep.core.cli;

import io.vtep.core.config.VtepConfig;
import picocli.CommandLine.Command;

/**
 * {@code vtep check --config FILE}: the validation that {@code run} and every reload do, with
 * nothing started and nothing opened, for CI pipelines and configuration management (like
 * {@code nginx -t} or FRR's {@code vtysh --dryrun}). Exit 0 with "ok" and a one-line summary, or 2
 * with the error and its key path. Whether the named interfaces and {@code local-ip} exist on this
 * host is not checked: the file is often checked on another machine than the gateway.
 */
@Command(description = "Validate a configuration file, start nothing (exit 0 ok, 2 refused).")
final class CheckCommand extends ConfiguredCommand
{
    CheckCommand(final CliContext context)
    {
        super(context, "check");
    }

    @Override
    protected int call(final VtepConfig loaded)
    {
        context.out().println("ok: " + config.file + ": " + summary(loaded));
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
