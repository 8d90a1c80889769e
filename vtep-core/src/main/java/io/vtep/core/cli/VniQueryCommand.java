package io.vtep.core.cli;

import java.util.Map;
import java.util.function.Function;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A {@link QueryCommand} that may be narrowed to one VNI ({@code ?vni=N}): {@code bgp routes}, {@code fdb show}. */
@Command
class VniQueryCommand extends QueryCommand
{
    // A string, so that a bad value is reported in vtep's words, not picocli's.
    @Option(names = "--vni", paramLabel = "N", description = "only this VNI (1..16777215)")
    String vni;

    VniQueryCommand(final CliContext context, final String path, final Function<Map<String, Object>, String> table)
    {
        super(context, path, table);
    }

    @Override
    String pathAndQuery()
    {
        if (vni == null)
        {
            return super.pathAndQuery();
        }
        final int number = Vnis.parse(vni);
        if (number < 0)
        {
            context.err().println("vtep: --vni " + vni + " is not a VNI (1..16777215)");
            return null;
        }
        return super.pathAndQuery() + "?vni=" + number;
    }
}
