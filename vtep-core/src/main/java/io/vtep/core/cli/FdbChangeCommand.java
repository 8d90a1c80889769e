package io.vtep.core.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vtep.core.api.JsonText;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vtep fdb add|del|append|flush}: changes the FDB of a running vtep through the HTTP API,
 * in the words of iproute2's {@code bridge fdb} for a VXLAN device:
 * <pre>
 *   vtep fdb add MAC vni N dst IP                      static entry (POST /api/v1/fdb)
 *   vtep fdb del MAC vni N                             static or learned entry (DELETE /api/v1/fdb)
 *   vtep fdb append 00:00:00:00:00:00 vni N dst IP     flood-list entry (POST /api/v1/fdb/flood)
 *   vtep fdb del 00:00:00:00:00:00 vni N dst IP        flood-list entry (DELETE /api/v1/fdb/flood)
 * </pre>
 * ({@code vtep fdb flush} is {@link FdbFlushCommand}.) Exit codes: 0 done (or already so), 1 refused or unreachable, 2 usage.
 */
@Command
final class FdbChangeCommand extends ApiChangeCommand
{
    static final String USAGE = """
        usage: vtep fdb add MAC vni N dst IP
               vtep fdb del MAC vni N
               vtep fdb append 00:00:00:00:00:00 vni N dst IP
               vtep fdb del 00:00:00:00:00:00 vni N dst IP
               vtep fdb flush --vni N [--origin local|remote]
          options: --api URL  --token-file FILE (or VTEP_API_TOKEN_FILE)  --ca-file FILE (https)""";

    @Parameters(paramLabel = "WORD", description = "MAC vni N [dst IP], in the words of bridge fdb")
    List<String> words = new ArrayList<>();

    private final String sub;

    /** @param sub add, del or append */
    FdbChangeCommand(final CliContext context, final String sub)
    {
        super(context);
        this.sub = sub;
    }

    @Override
    protected int change()
    {
        final Request request;
        try
        {
            request = entry(sub, words);
        }
        catch (final Usage ex)
        {
            context.err().println("vtep fdb " + sub + ": " + ex.getMessage());
            context.err().println(USAGE);
            return Main.EXIT_USAGE;
        }
        return connection.send(context, request.method, request.path, request.body, answer -> String.valueOf(answer.get("result")));
    }

    private record Request(String method, String path, String body)
    {
    }

    /** {@code MAC vni N [dst IP]}, as {@code bridge fdb} takes them. */
    private static Request entry(final String sub, final List<String> words)
    {
        if (words.isEmpty())
        {
            throw new Usage("MAC is needed");
        }
        final long mac;
        try
        {
            mac = MacAddress.parse(words.getFirst());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new Usage(words.getFirst() + " is not a MAC address like 02:00:00:00:00:01");
        }
        String vni = null;
        String dst = null;
        for (int i = 1; i < words.size(); i += 2)
        {
            if (i + 1 >= words.size())
            {
                throw new Usage(words.get(i) + " needs a value");
            }
            switch (words.get(i))
            {
                case "vni" -> vni = words.get(i + 1);
                case "dst" -> dst = words.get(i + 1);
                default -> throw new Usage("unexpected argument '" + words.get(i) + "'");
            }
        }
        if (vni == null)
        {
            throw new Usage("vni N is needed");
        }
        final int number = vni(vni);
        final boolean flood = mac == 0;
        if (dst != null)
        {
            try
            {
                VtepAddress.parse(dst);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new Usage("dst " + dst + " is not an IP address");
            }
        }
        final String macText = MacAddress.format(mac);
        return switch (sub)
        {
            case "add" ->
            {
                if (flood)
                {
                    throw new Usage("00:00:00:00:00:00 is the flood list: vtep fdb append 00:00:00:00:00:00 vni N dst IP");
                }
                yield new Request("POST", "/api/v1/fdb", body("vni", number, "mac", macText, "dst", required(dst)));
            }
            case "append" ->
            {
                if (!flood)
                {
                    throw new Usage("append adds to the flood list, MAC 00:00:00:00:00:00 (for one MAC: vtep fdb add)");
                }
                yield new Request("POST", "/api/v1/fdb/flood", body("vni", number, "dst", required(dst)));
            }
            default ->
            {
                if (flood)
                {
                    yield new Request("DELETE", "/api/v1/fdb/flood?vni=" + number + "&dst=" +
                        URLEncoder.encode(required(dst), StandardCharsets.UTF_8), null);
                }
                if (dst != null)
                {
                    throw new Usage("del MAC vni N takes no dst (a MAC has one entry)");
                }
                yield new Request("DELETE", "/api/v1/fdb?vni=" + number + "&mac=" + macText, null);
            }
        };
    }

    /** A request body: the names and values in order. */
    private static String body(final Object... namesAndValues)
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            body.put((String)namesAndValues[i], namesAndValues[i + 1]);
        }
        return JsonText.of(body);
    }

    private static String required(final String dst)
    {
        if (dst == null)
        {
            throw new Usage("dst IP is needed");
        }
        return dst;
    }

    private static int vni(final String text)
    {
        final int vni = Vnis.parse(text);
        if (vni < 0)
        {
            throw new Usage("vni " + text + " is not a VNI (1..16777215)");
        }
        return vni;
    }

    /** A command line that does not say what to do: exit 2 with the usage. */
    static final class Usage extends RuntimeException
    {
        Usage(final String message)
        {
            super(message, null, false, false);
        }
    }
}
