package io.vtep.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vtep.core.nativeio.NetworkNamespace;
import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.FrrEvpnRoute;
import io.vtep.topology.FrrPeer;
import io.vtep.topology.Json;

/**
 * What a demo topology kept with {@code --keep} holds, read where an operator would read it: vtep's
 * HTTP API (inside the vtep namespace), the Linux kernel VTEP's bridge FDB, FRR through vtysh, and the
 * files in the run's work dir (found through the demo's bookkeeping).
 */
final class DemoState
{
    private final String prefix;

    DemoState(final String prefix)
    {
        this.prefix = prefix;
    }

    /** The run's work dir, from its bookkeeping. */
    Path workDir()
    {
        try
        {
            return Path.of(Files.readString(Path.of(Leftovers.STATE_ROOT, prefix, "workdir")).strip());
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("no bookkeeping for " + prefix, e);
        }
    }

    /** GET from vtep's API; asserts a 200 and returns the parsed body. */
    Object api(final String path)
    {
        try
        {
            final HttpResponse<String> response = NetworkNamespace.call(prefix + "-vtep", () ->
            {
                try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(3)).build())
                {
                    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9100" + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                }
            });
            assertEquals(200, response.statusCode(), () -> "GET " + path + ": " + response.body());
            return Json.parse(response.body());
        }
        catch (final Exception e)
        {
            throw new AssertionError("GET " + path + " in " + prefix + "-vtep failed: " + e, e);
        }
    }

    /** vtep's FDB as "MAC vni N origin [port P [vlan V]] [remote R]" lines: one per entry. */
    Set<String> vtepFdb()
    {
        final Set<String> entries = new HashSet<>();
        for (final Map<?, ?> e : maps(Json.at(api("/api/v1/fdb"), "entries")))
        {
            final StringBuilder line = new StringBuilder().append(e.get("mac")).append(" vni ").append(e.get("vni"))
                .append(' ').append(e.get("origin"));
            if (e.get("port") != null)
            {
                line.append(" port ").append(e.get("port"));
            }
            if (e.get("vlan") != null)
            {
                line.append(" vlan ").append(e.get("vlan"));
            }
            if (e.get("remote") != null)
            {
                line.append(" remote ").append(e.get("remote"));
            }
            entries.add(line.toString());
        }
        return entries;
    }

    /** One VNI from {@code /api/v1/vnis?vni=N}. */
    Map<?, ?> vni(final int vni)
    {
        final Object body = api("/api/v1/vnis?vni=" + vni);
        for (final Map<?, ?> v : maps(Json.at(body, "vnis")))
        {
            if (((Number)v.get("vni")).intValue() == vni)
            {
                return v;
            }
        }
        throw new AssertionError("no VNI " + vni + " in /api/v1/vnis: " + body);
    }

    /** A VNI's packet counter: {@code side} "rx"/"tx", {@code where} "access"/"overlay". */
    long packets(final int vni, final String side, final String where)
    {
        return (long)Json.number(vni(vni), "counters", side, where, "packets");
    }

    /** vtep's BGP sessions from {@code /api/v1/bgp}: peer address -> state. */
    Map<String, String> vtepSessions()
    {
        final Map<String, String> sessions = new java.util.HashMap<>();
        for (final Map<?, ?> peer : maps(Json.at(api("/api/v1/bgp"), "peers")))
        {
            sessions.put(String.valueOf(peer.get("address")), String.valueOf(peer.get("state")));
        }
        return sessions;
    }

    /** vtep's EVPN routes from {@code /api/v1/bgp/routes} as "type T vni N [MAC] via NEXT_HOP from SOURCE" lines (MAC-only type 2s and type 3s). */
    Set<String> vtepRoutes()
    {
        final Set<String> routes = new HashSet<>();
        for (final Map<?, ?> r : maps(Json.at(api("/api/v1/bgp/routes"), "routes")))
        {
            if (((Number)r.get("type")).intValue() != 2 || r.get("ip") == null)
            {
                routes.add("type " + r.get("type") + " vni " + r.get("vni") + (r.get("mac") == null ? "" : " " + r.get("mac")) + " via " + r.get(
                    "next_hop") + " from " + r.get("source"));
            }
        }
        return routes;
    }

    /** The kernel VTEP's vxlan device FDB as "MAC dst D" lines (its own entries, which carry a dst). */
    Set<String> kernelFdb(final int vni)
    {
        final ExecResult r = Commands.run(Duration.ofSeconds(20),
            List.of("ip", "netns", "exec", prefix + "-kvtep", "bridge", "-j", "fdb", "show", "dev", "vxlan" + vni)).orThrow();
        final Set<String> entries = new HashSet<>();
        for (final Map<?, ?> e : maps(Json.parse(r.stdout())))
        {
            if (e.get("dst") != null)
            {
                entries.add(e.get("mac") + " dst " + e.get("dst"));
            }
        }
        return entries;
    }

    /** FRR's view of its sessions ({@code show bgp l2vpn evpn summary json}). */
    Map<String, FrrPeer> frrPeers()
    {
        return FrrPeer.parseSummary(vtysh("show bgp l2vpn evpn summary json"));
    }

    /** FRR's EVPN routes ({@code show bgp l2vpn evpn route detail json}). */
    List<FrrEvpnRoute> frrRoutes()
    {
        return FrrEvpnRoute.parse(vtysh("show bgp l2vpn evpn route detail json"));
    }

    private String vtysh(final String command)
    {
        final String frr = workDir().resolve("frr").toString();
        return Commands.run(Duration.ofSeconds(20), List.of("ip", "netns", "exec", prefix + "-kvtep",
            "vtysh", "-N", prefix + "-kvtep", "--vty_socket", frr, "--config_dir", frr, "-c", command)).orThrow().stdout();
    }

    private static List<Map<?, ?>> maps(final Object list)
    {
        final List<Map<?, ?>> maps = new ArrayList<>();
        if (list instanceof List<?> items)
        {
            for (final Object item : items)
            {
                if (item instanceof Map<?, ?> map)
                {
                    maps.add(map);
                }
            }
        }
        return maps;
    }
}
