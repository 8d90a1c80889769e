package io.vtep.core.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vtep bgp clear-duplicate MAC vni N}: unfreezes a MAC that EVPN duplicate detection froze
 * (RFC 7432 §15.1), as FRR's {@code clear evpn dup-addr vni N mac M}, through
 * {@code DELETE /api/v1/bgp/duplicates}. Exit codes: 0 unfrozen, 1 not frozen, refused or
 * unreachable, 2 usage.
 */
@Command(description = "Unfreeze a MAC frozen as an EVPN duplicate (RFC 7432 §15.1): clear-duplicate MAC vni N")
final class ClearDuplicateCommand extends ApiChangeCommand
{
    static final String USAGE = "usage: vtep bgp clear-duplicate MAC vni N [--api URL] [--token-file FILE] [--ca-file FILE]";

    @Parameters(paramLabel = "WORD", description = "MAC vni N, in the words of FRR's clear evpn dup-addr")
    List<String> words = new ArrayList<>();

    ClearDuplicateCommand(final CliContext context)
    {
        super(context);
    }

    @Override
    protected int change()
    {
        if (words.size() != 3 || !words.get(1).equals("vni"))
        {
            context.err().println("vtep bgp clear-duplicate: give the MAC and its VNI");
            context.err().println(USAGE);
            return Main.EXIT_USAGE;
        }
        return connection.send(context, "DELETE", "/api/v1/bgp/duplicates?vni=" + URLEncoder.encode(words.get(2), StandardCharsets.UTF_8) +
            "&mac=" + URLEncoder.encode(words.get(0), StandardCharsets.UTF_8), null, answer -> String.valueOf(answer.get("result")));
    }
}
