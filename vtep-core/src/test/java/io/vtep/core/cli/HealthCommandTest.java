package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** {@code vtep health}: follows api.listen of the file and asks /readyz there. */
class HealthCommandTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private HttpServer server;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.stop(0);
        }
    }

    /** A stand-in for vtep's API on a port of the kernel's choosing, /readyz answering {@code status}. */
    private int serve(final int status) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/readyz", exchange ->
        {
            final byte[] body = (status == 200 ? "ready" : "access port eth1 is down").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    private Path config(final String listen) throws IOException
    {
        return Files.writeString(dir.resolve("vtep.yaml"), """
            vtep: { local-ip: 198.51.100.1 }
            ports: [ { name: eth1, vlans: { untagged: 100 } } ]
            api: { listen: %s }
            """.formatted(listen));
    }

    private int health(final Map<String, String> environment, final String... args)
    {
        return Main.run(args, new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), environment));
    }

    @Test
    void readyWhereTheFilePutsTheApi() throws IOException
    {
        final int port = serve(200);
        final Path file = config("127.0.0.1:" + port);

        assertEquals(0, health(Map.of(), "health", "--config", file.toString()), err::toString);
        assertEquals("ready: 127.0.0.1:" + port + "\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theContainersVariableNamesTheDefaultFile() throws IOException
    {
        final int port = serve(200);
        final Path file = config("0.0.0.0:" + port);

        assertEquals(0, health(Map.of("VTEP_CONFIG", file.toString()), "health"), err::toString);
    }

    @Test
    void theOldAddressVariableStillWins() throws IOException
    {
        final int port = serve(200);

        assertEquals(0, health(Map.of("VTEP_HEALTH_ADDR", "127.0.0.1:" + port), "health", "--config",
            config("127.0.0.1:1").toString()), err::toString);
    }

    @Test
    void notReadyIsOneWithTheReason() throws IOException
    {
        final int port = serve(503);

        assertEquals(1, health(Map.of(), "health", "--config", config("127.0.0.1:" + port).toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("503") &&
            err.toString(StandardCharsets.UTF_8).contains("access port eth1 is down"), err::toString);
    }

    @Test
    void nothingListeningIsOne() throws IOException
    {
        final int port = serve(200);
        server.stop(0);
        server = null;

        assertEquals(1, health(Map.of(), "health", "--config", config("127.0.0.1:" + port).toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no answer from the API at 127.0.0.1:" + port), err::toString);
    }

    @Test
    void aBadFileIsTwo() throws IOException
    {
        assertEquals(2, health(Map.of(), "health", "--config", config("localhost:9100").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("api.listen"), err::toString);
    }
}
