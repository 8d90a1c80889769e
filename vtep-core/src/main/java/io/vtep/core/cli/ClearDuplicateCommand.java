package io.vtep.core.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.core.api.ApiClient;

/**
 * {@code vtep bgp clear-duplicate MAC vni N}: unfreezes a MAC that EVPN duplicate detection froze
 * (RFC 7432 §15.1), as FRR's {@code clear evpn dup-addr vni N mac M}, through
 * {@code DELETE /api/v1/bgp/duplicates}. Exit codes: 0 unfrozen, 1 not frozen, refused or
 * unreachable, 2 usage.
 */
final class ClearDuplicateCommand
{
    static final String USAGE = "usage: vtep bgp clear-duplicate MAC vni N [--api URL] [--token-file FILE] [--ca-file FILE]";

    private ClearDuplicateCommand()
    {
    }

    /** @param args the whole command line: {@code bgp clear-duplicate MAC vni N ...} */
    static int run(final String[] args, final Map<String, String> env, final PrintStream out, final PrintStream err)
    {
        final ApiConnection.Parsed parsed = ApiConnection.parse(Arrays.asList(args).subList(2, args.length), Set.of(), env, USAGE, err);
        if (parsed == null)
        {
            return Main.EXIT_USAGE;
        }
        final List<String> words = parsed.words();
        if (words.size() != 3 || !words.get(1).equals("vni"))
        {
            err.println("vtep bgp clear-duplicate: give the MAC and its VNI");
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        try (ApiClient client = parsed.client())
        {
            final Map<String, Object> answer = client.send("DELETE", "/api/v1/bgp/duplicates?vni=" +
                URLEncoder.encode(words.get(2), StandardCharsets.UTF_8) + "&mac=" + URLEncoder.encode(words.get(0), StandardCharsets.UTF_8), null);
            out.println(answer.get("result"));
            return Main.EXIT_OK;
        }
        catch (final ApiClient.ApiClientException ex)
        {
            err.println("vtep: " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
