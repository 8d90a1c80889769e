package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.vtep.core.api.ApiClient;
import io.vtep.core.api.ApiResponse;
import io.vtep.core.api.ApiRouter;
import io.vtep.core.api.ApiServer;
import io.vtep.core.api.JsonReader;
import io.vtep.core.config.ApiConfig;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.encap.MacAddress;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/**
 * {@code --json} on the show commands, parsed back: {@code fdb show --json} is JSON lines, one entry
 * of {@code GET /api/v1/fdb} per line, across page boundaries ({@value FdbShowCommand#PAGE} a page);
 * {@code vni list}, {@code bgp summary} and {@code bgp routes} print the API's document; {@code version}
 * prints {@code {"version":...}}.
 */
class JsonOutputTest
{
    /** Two pages and a bit: the lines must continue across the page boundary. */
    private static final int STATIC_ENTRIES = 2 * FdbShowCommand.PAGE + 3;

    private final Fdb fdb = new Fdb();
    private ApiServer server;
    private String api;

    @BeforeEach
    void start() throws Exception
    {
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        tables.addVni(100);
        final RemoteVtep peer = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2"));
        for (int i = 1; i <= STATIC_ENTRIES; i++)
        {
            fdb.addStatic(100, MacAddress.parse("02:00:00:00:00:01") + i, peer);
        }
        server = ApiServer.start(new ApiConfig("127.0.0.1", 0), new ApiRouter(fdb, tables,
            new CounterSnapshotSource(new CounterLayout(1, 4)), accept -> ApiResponse.text(200, ""), () -> null, "test"));
        api = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private record Run(int exit, String out, String err)
    {
    }

    private static Run vtep(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(args, new CliContext(new PrintStream(out, false, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void fdbShowJsonIsOneEntryOfTheApiPerLineAcrossPages() throws Exception
    {
        final Run show = vtep("fdb", "show", "--json", "--api", api);
        assertEquals(0, show.exit(), show::err);
        final List<String> lines = show.out().lines().toList();
        assertEquals(STATIC_ENTRIES, lines.size());
        final Set<String> macs = new HashSet<>();
        for (final String line : lines)
        {
            final Map<String, Object> entry = (Map<String, Object>)JsonReader.parse(line);
            assertEquals(100L, entry.get("vni"), line);
            assertEquals("192.0.2.2", entry.get("remote"), line);
            assertEquals("static", entry.get("origin"), line);
            macs.add((String)entry.get("mac"));
        }
        assertEquals(STATIC_ENTRIES, macs.size(), "every entry once");
        try (ApiClient client = new ApiClient(api))
        {
            final Map<String, Object> api = new HashMap<>(((List<Map<String, Object>>)client.getJson("/api/v1/fdb?limit=1").get("entries"))
                .getFirst());
            final Map<String, Object> cli = new HashMap<>((Map<String, Object>)JsonReader.parse(lines.getFirst()));
            // The age moves on between the two requests.
            assertEquals(api.keySet(), cli.keySet(), "the API's fields, nulls included");
            api.remove("age_seconds");
            cli.remove("age_seconds");
            assertEquals(api, cli, "the API's entry, field for field");
        }
        assertEquals(lines.size(), vtep("fdb", "--json", "--vni", "100", "--api", api).out().lines().count(), "fdb alone is fdb show");
    }

    @Test
    void vniListJsonIsTheApisDocument() throws Exception
    {
        final Run list = vtep("vni", "list", "--json", "--api", api);
        assertEquals(0, list.exit(), list::err);
        assertEquals(1, list.out().lines().count(), "one line");
        try (ApiClient client = new ApiClient(api))
        {
            assertEquals(client.getJson("/api/v1/vnis"), JsonReader.parse(list.out()));
        }
    }

    @Test
    void versionJson()
    {
        final Run version = vtep("version", "--json");
        assertEquals(0, version.exit(), version::err);
        assertEquals(Map.of("version", Main.version()), JsonReader.parse(version.out()));
        assertEquals("vtep " + Main.version() + "\n", vtep("version").out(), "without --json as before");
    }

    @Test
    void bgpJsonPassesTheApisDocumentsThrough() throws IOException
    {
        final String summary = "{\"asn\":65001,\"router-id\":\"192.0.2.1\",\"peers\":[{\"address\":\"192.0.2.9\",\"state\":\"Established\"," +
            "\"uptime-seconds\":12.5,\"prefixes-received\":3}]}";
        final String routes = "{\"routes\":[{\"type\":2,\"vni\":100,\"mac\":\"02:00:00:00:00:01\",\"best\":true,\"next-hop\":null}]}";
        final HttpServer bgp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (final String[] path : new String[][] {{"/api/v1/bgp", summary}, {"/api/v1/bgp/routes", routes}})
        {
            bgp.createContext(path[0], exchange ->
            {
                final byte[] body = (exchange.getRequestURI().getPath().equals(path[0]) ? path[1] : "{}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
        }
        bgp.start();
        try
        {
            final String url = "http://127.0.0.1:" + bgp.getAddress().getPort();
            final Run peers = vtep("bgp", "summary", "--json", "--api", url);
            assertEquals(0, peers.exit(), peers::err);
            assertEquals(JsonReader.parse(summary), JsonReader.parse(peers.out()));
            final Run paths = vtep("bgp", "routes", "--vni", "100", "--json", "--api", url);
            assertEquals(0, paths.exit(), paths::err);
            assertEquals(JsonReader.parse(routes), JsonReader.parse(paths.out()));
            assertTrue(paths.out().endsWith("}\n"), paths::out);
        }
        finally
        {
            bgp.stop(0);
        }
    }
}
