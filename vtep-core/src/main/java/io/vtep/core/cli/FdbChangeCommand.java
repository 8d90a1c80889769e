package io.vtep.core.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.JsonWriter;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;

/**
 * {@code vtep fdb add|del|append|flush}: changes the FDB of a running vtep through the HTTP API,
 * in the words of iproute2's {@code bridge fdb} for a VXLAN device:
 * <pre>
 *   vtep fdb add MAC vni N dst IP                      static entry (POST /api/v1/fdb)
 *   vtep fdb del MAC vni N                             static or learned entry (DELETE /api/v1/fdb)
 *   vtep fdb append 00:00:00:00:00:00 vni N dst IP     flood-list entry (POST /api/v1/fdb/flood)
 *   vtep fdb del 00:00:00:00:00:00 vni N dst IP        flood-list entry (DELETE /api/v1/fdb/flood)
 *   vtep fdb flush --vni N [--origin local|remote]     learned entries (POST /api/v1/fdb/flush)
 * </pre>
 * Exit codes: 0 done (or already so), 1 refused or unreachable, 2 usage.
 */
final class FdbChangeCommand
{
    static final Set<String> SUBCOMMANDS = Set.of("add", "del", "append", "flush");
    static final String USAGE = """
        usage: vtep fdb add MAC vni N dst IP
               vtep fdb del MAC vni N
               vtep fdb append 00:00:00:00:00:00 vni N dst IP
               vtep fdb del 00:00:00:00:00:00 vni N dst IP
               vtep fdb flush --vni N [--origin local|remote]
          options: --api URL  --token-file FILE (or VTEP_API_TOKEN_FILE)  --ca-file FILE (https)""";

    private FdbChangeCommand()
    {
    }

    /** @param args the whole command line, {@code fdb SUBCOMMAND ...} */
    static int run(final String[] args, final Map<String, String> env, final PrintStream out, final PrintStream err)
    {
        final String sub = args[1];
        final ApiConnection.Parsed parsed = ApiConnection.parse(Arrays.asList(args).subList(2, args.length),
            sub.equals("flush") ? Set.of("--vni", "--origin") : Set.of(), env, USAGE, err);
        if (parsed == null)
        {
            return Main.EXIT_USAGE;
        }
        try (ApiClient client = parsed.client())
        {
            final Request request = sub.equals("flush") ? flush(parsed) : entry(sub, parsed.words());
            final Map<String, Object> answer = client.send(request.method, request.path, request.body);
            out.println(answer.containsKey("flushed")
                ? "flushed " + answer.get("flushed") + " learned entries (" + answer.get("origin") + ") in VNI " + answer.get("vni")
                : String.valueOf(answer.get("result")));
            return Main.EXIT_OK;
        }
        catch (final Usage ex)
        {
            err.println("vtep fdb " + sub + ": " + ex.getMessage());
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        catch (final ApiClient.ApiClientException ex)
        {
            err.println("vtep: " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    private record Request(String method, String path, String body)
    {
    }

    private static Request flush(final ApiConnection.Parsed parsed)
    {
        if (!parsed.words().isEmpty())
        {
            throw new Usage("unexpected argument '" + parsed.words().getFirst() + "'");
        }
        final String vni = parsed.options().get("--vni");
        if (vni == null)
        {
            throw new Usage("--vni N is needed");
        }
        final String origin = parsed.options().get("--origin");
        if (origin != null && !origin.equals("local") && !origin.equals("remote"))
        {
            throw new Usage("--origin is local or remote, not " + origin);
        }
        final JsonWriter json = new JsonWriter().beginObject().field("vni", vni(vni));
        if (origin != null)
        {
            json.field("origin", origin);
        }
        return new Request("POST", "/api/v1/fdb/flush", json.endObject().toString());
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
                yield new Request("POST", "/api/v1/fdb", new JsonWriter().beginObject().field("vni", number).field("mac", macText)
                    .field("dst", required(dst)).endObject().toString());
            }
            case "append" ->
            {
                if (!flood)
                {
                    throw new Usage("append adds to the flood list, MAC 00:00:00:00:00:00 (for one MAC: vtep fdb add)");
                }
                yield new Request("POST", "/api/v1/fdb/flood", new JsonWriter().beginObject().field("vni", number)
                    .field("dst", required(dst)).endObject().toString());
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
        try
        {
            final int vni = Integer.parseInt(text);
            if (vni >= 1 && vni <= 0xFF_FFFF)
            {
                return vni;
            }
        }
        catch (final NumberFormatException ex)
        {
            // below
        }
        throw new Usage("vni " + text + " is not a VNI (1..16777215)");
    }

    /** A command line that does not say what to do: exit 2 with the usage. */
    private static final class Usage extends RuntimeException
    {
        Usage(final String message)
        {
            super(message, null, false, false);
        }
    }
}
