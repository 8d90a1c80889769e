package io.vtep.core.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vtep.core.api.JsonText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vtep fdb flush --vni N [--origin local|remote]}: forgets the learned entries of a VNI
 * ({@code POST /api/v1/fdb/flush}), as {@code bridge fdb flush} does; static entries stay.
 */
@Command(description = "Forget the learned entries of a VNI (static ones stay).")
final class FdbFlushCommand extends ApiChangeCommand
{
    @Option(names = "--vni", paramLabel = "N", description = "the VNI (1..16777215)")
    String vni;

    @Option(names = "--origin", paramLabel = "local|remote",
        description = "only entries learned on access ports (local) or from the underlay (remote)")
    String origin;

    FdbFlushCommand(final CliContext context)
    {
        super(context);
    }

    @Override
    protected int change()
    {
        final String problem = vni == null ? "--vni N is needed" : Vnis.parse(vni) < 0 ? "vni " + vni + " is not a VNI (1..16777215)" : origin
            != null && !origin.equals("local") && !origin.equals("remote") ? "--origin is local or remote, not " + origin : null;
        if (problem != null)
        {
            context.err().println("vtep fdb flush: " + problem);
            context.err().println(FdbChangeCommand.USAGE);
            return Main.EXIT_USAGE;
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("vni", Vnis.parse(vni));
        if (origin != null)
        {
            body.put("origin", origin);
        }
        return connection.send(context, "POST", "/api/v1/fdb/flush", JsonText.of(body), answer -> "flushed " + answer.get("flushed") +
            " learned entries (" + answer.get("origin") + ") in VNI " + answer.get("vni"));
    }
}
