package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.config.ApiConfig;
import io.vtep.core.config.ConfigException;

/**
 * The Netty listener on loopback: real HTTP through it, keep-alive, HEAD, errors, binding problems,
 * and its limits (issue 15, failure 6): a connection flood, a slowloris client, idle connections.
 */
class ApiServerTest
{
    private final ApiFixture fixture = new ApiFixture();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ApiServer server;
    private String base;

    @BeforeEach
    void start() throws Exception
    {
        server = ApiServer.start(new ApiConfig("127.0.0.1", 0), fixture.router());
        base = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** A request bigger than the server holds is refused with the API's JSON error, like every other /api/ error. */
    @Test
    void aRequestOverTheLimitGets413WithAJsonError() throws Exception
    {
        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/fdb"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"pad\":\"" + "x".repeat(ApiServer.MAX_REQUEST_BYTES) + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals(ApiResponse.JSON, response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"error\":\"request of more than 16384 bytes\",\"status\":413}", response.body().strip());
    }

    private HttpResponse<String> send(final String method, final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersOverHttpWithContentTypeAndLength() throws Exception
    {
        final HttpResponse<String> health = send("GET", "/healthz");
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
        assertEquals("3", health.headers().firstValue("content-length").orElseThrow());

        final HttpResponse<String> fdb = send("GET", "/api/v1/fdb?vni=200");
        assertEquals(200, fdb.statusCode());
        assertEquals(ApiResponse.JSON, fdb.headers().firstValue("content-type").orElseThrow());
        assertTrue(fdb.body().contains("\"vlan\":10"), fdb::body);

        final HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
            .header("Accept", "application/openmetrics-text").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("content-type").orElseThrow());
        assertEquals("scraped with application/openmetrics-text\n", metrics.body());
    }

    @Test
    void errorsCarryTheirStatusAndAllow() throws Exception
    {
        assertEquals(404, send("GET", "/nope").statusCode());
        final HttpResponse<String> post = send("POST", "/metrics");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElseThrow());
        final HttpResponse<String> bad = send("GET", "/api/v1/fdb?vni=abc");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("vni must be a number"), bad::body);
        fixture.notReady = "access port acc1 is not open";
        final HttpResponse<String> ready = send("GET", "/readyz");
        assertEquals(503, ready.statusCode());
        assertEquals("not ready: access port acc1 is not open\n", ready.body());
    }

    @Test
    void headAnswersTheHeadersOnly() throws Exception
    {
        final HttpResponse<String> head = send("HEAD", "/api/v1/vnis");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertTrue(Integer.parseInt(head.headers().firstValue("content-length").orElseThrow()) > 100);
    }

    @Test
    void keepsTheConnectionAliveForSeveralRequests() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort()))
        {
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals(2, both.split("HTTP/1.1 200 OK", -1).length - 1, both);
            assertTrue(both.endsWith("ok\n"), both);
        }
    }

    @Test
    void garbageIsAnsweredWith400AndClosed() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort()))
        {
            socket.getOutputStream().write("THIS IS NOT HTTP\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        }
    }

    @Test
    void aFailingRouteIs500AndTheServerKeepsAnswering() throws Exception
    {
        final ApiServer failing = ApiServer.start(new ApiConfig("127.0.0.1", 0), new ApiRouter(fixture.fdb, fixture.tables,
            fixture.counters, accept ->
            {
                throw new IllegalStateException("boom");
            }, () -> null, "1"));
        try
        {
            final String url = "http://127.0.0.1:" + failing.localAddress().getPort();
            final HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(500, metrics.statusCode());
            assertTrue(metrics.body().contains("boom"), metrics::body);
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        finally
        {
            failing.close();
        }
    }

    @Test
    void aPortInUseFailsNamingApiListen()
    {
        final int port = server.localAddress().getPort();
        final IOException ex = assertThrows(IOException.class,
            () -> ApiServer.start(new ApiConfig("127.0.0.1", port), fixture.router()));
        assertEquals("api.listen 127.0.0.1:" + port + ": address already in use (another vtep or program listens there;" +
            " stop it or change api.listen)", ex.getMessage());
    }

    @Test
    void anAddressThatIsNotThisHostsIsAConfigurationError()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> ApiServer.start(new ApiConfig("192.0.2.77", 9100), fixture.router()));
        assertEquals("api.listen: 192.0.2.77 is not an address of this host", ex.getMessage());
    }

    @Test
    void closingStopsListening() throws Exception
    {
        final int port = server.localAddress().getPort();
        server.close();
        server.close();
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
        server = ApiServer.start(new ApiConfig("127.0.0.1", port), fixture.router());
    }

    @Test
    void theClientSaysNoVtepAnsweringWhenNothingListens() throws Exception
    {
        final int port = server.localAddress().getPort();
        server.close();
        final ApiClient.ApiClientException ex = assertThrows(ApiClient.ApiClientException.class,
            () -> new ApiClient("http://127.0.0.1:" + port).getJson("/api/v1/fdb"));
        assertEquals("no vtep answering at http://127.0.0.1:" + port + " (is it running? use --api URL)", ex.getMessage());
        server = ApiServer.start(new ApiConfig("127.0.0.1", port), fixture.router());
    }

    @Test
    void theClientReadsDocumentsAndReportsApiErrors() throws Exception
    {
        final ApiClient api = new ApiClient(base + "/");
        assertEquals(1, ((java.util.List<?>)api.getJson("/api/v1/fdb?vni=200").get("entries")).size());
        final ApiClient.ApiClientException ex = assertThrows(ApiClient.ApiClientException.class, () -> api.getJson("/api/v1/fdb?vni=300"));
        assertEquals("VNI 300 is not configured", ex.getMessage());
        final ApiClient.ApiClientException text = assertThrows(ApiClient.ApiClientException.class, () -> api.getJson("/healthz"));
        assertTrue(text.getMessage().contains("without JSON"), text::getMessage);
    }

    @Test
    void theClientRefusesUrlsThatAreNotHttpBases()
    {
        new ApiClient("https://x:1").close(); // https is accepted since api.tls (issue 16)
        for (final String bad : new String[] {"127.0.0.1:9100", "https://x:1/api", "http://x:1/api", "ftp://x", "http://x:1?q", "::"})
        {
            assertThrows(IllegalArgumentException.class, () -> new ApiClient(bad), bad);
        }
    }

    /** File descriptors this process has open now. */
    private static long openFds() throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
    }

    /**
     * Issue 15, failure 6: 300 connections that send nothing. With the default limit (64) the server
     * keeps at most 64 of them (the others are closed as soon as they are accepted, so its descriptors
     * stay bounded), and answers a new client once the flood is gone. Before, it kept all 300 (and
     * 20k took every descriptor of the process, BGP's included).
     */
    @Test
    void aConnectionFloodIsClosedAtTheLimitAndTheApiStillAnswersAfterIt() throws Exception
    {
        final int flood = 300;
        final long before = openFds();
        final List<Socket> sockets = new ArrayList<>();
        try
        {
            for (int i = 0; i < flood; i++)
            {
                sockets.add(new Socket("127.0.0.1", server.localAddress().getPort()));
            }
            // The last one is beyond the limit: the server closes it without a word.
            final Socket last = sockets.getLast();
            last.setSoTimeout(5_000);
            try
            {
                assertEquals(-1, last.getInputStream().read(), "a connection beyond the limit is closed");
            }
            catch (final SocketTimeoutException ex)
            {
                throw new AssertionError("connection " + flood + " is still open 5 s after it was accepted: no connection limit");
            }
            // Every connection has been accepted by now (the last one was): ours (300) plus the server's.
            final long held = openFds() - before - flood;
            assertTrue(held <= ApiConfig.DEFAULT_MAX_CONNECTIONS + 4,
                "the server holds " + held + " descriptors for " + flood + " connections; the limit is " +
                    ApiConfig.DEFAULT_MAX_CONNECTIONS);
            assertEquals(ApiConfig.DEFAULT_MAX_CONNECTIONS, server.stats().open());
            assertTrue(server.stats().refused() >= flood - ApiConfig.DEFAULT_MAX_CONNECTIONS, () -> "refused " + server.stats().refused());
        }
        finally
        {
            for (final Socket socket : sockets)
            {
                socket.close();
            }
        }
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.stats().open() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertEquals(200, send("GET", "/healthz").statusCode());
    }

    /**
     * Issue 15, failure 6: a slowloris client sends a request head a header line every 300 ms and
     * never finishes it. Each line resets an idle timer, so before it stayed open past the idle
     * timeout (120 s); the header timeout (default 10 s) closes it.
     */
    @Test
    void aSlowlorisClientIsClosedAfterTheHeaderTimeout() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort()))
        {
            final OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            final long start = System.nanoTime();
            final Thread trickle = Thread.ofVirtual().start(() ->
            {
                try
                {
                    for (int i = 0; i < 200; i++)
                    {
                        Thread.sleep(300);
                        out.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
                catch (final IOException | InterruptedException ex)
                {
                    // closed by the server, as it should be
                }
            });
            socket.setSoTimeout(30_000);
            try
            {
                final int read = socket.getInputStream().read();
                assertEquals(-1, read, "nothing is answered to a request that never arrives whole");
            }
            catch (final SocketTimeoutException ex)
            {
                throw new AssertionError("a slowloris connection is still open after 30 s (header timeout " +
                    ApiConfig.DEFAULT_HEADER_TIMEOUT_SECONDS + " s)");
            }
            catch (final IOException ex)
            {
                // reset by the server while the trickle wrote: closed, as it should be
            }
            final long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds >= ApiConfig.DEFAULT_HEADER_TIMEOUT_SECONDS - 1, "closed after " + seconds + " s, before the timeout");
            trickle.interrupt();
            trickle.join();
        }
        assertEquals(1, server.stats().headerTimeouts());
        assertEquals(200, send("GET", "/healthz").statusCode());
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeoutAndKeepAliveIsNotAHeaderTimeout() throws Exception
    {
        final ApiServer quick = ApiServer.start(new ApiConfig("127.0.0.1", 0, 4, 1, 2), fixture.router());
        try (Socket socket = new Socket("127.0.0.1", quick.localAddress().getPort()))
        {
            final OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            final InputStream in = socket.getInputStream();
            final byte[] answer = new byte[512];
            assertTrue(in.read(answer) > 0);
            // Idle between requests for longer than the header timeout (1 s), less than the idle one (2 s).
            Thread.sleep(1_500);
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(new String(answer, 0, in.read(answer), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
            final long start = System.nanoTime();
            assertEquals(-1, in.read(), "an idle connection is closed");
            assertTrue(System.nanoTime() - start >= 1_500_000_000L, "closed by the idle timer, not before");
            assertEquals(1, quick.stats().idleTimeouts());
            assertEquals(0, quick.stats().headerTimeouts());
        }
        finally
        {
            quick.close();
        }
    }

    /** A document that fails before its first piece is a 500; one that fails later is cut short. Both logged once. */
    @Test
    void aDocumentThatFailsIsA500OrACutStreamAndTheClientSaysWhich() throws Exception
    {
        final int[] calls = new int[1];
        final StreamedDocument failsAtOnce = out ->
        {
            throw new IllegalStateException("broken at once");
        };
        final StreamedDocument failsLater = out ->
        {
            if (++calls[0] > 3)
            {
                throw new IllegalStateException("broken later");
            }
            out.append(calls[0] == 1 ? "{\"entries\":[" : "").append("{}".repeat(StreamedDocument.PIECE_CHARS / 2));
            return true;
        };
        final StreamedDocument[] next = {failsAtOnce};
        final ApiServer failing = ApiServer.start(new ApiConfig("127.0.0.1", 0), new ApiRouter(fixture.fdb, fixture.tables,
            fixture.counters, accept -> ApiResponse.jsonStream(() -> next[0]), () -> null, "1"));
        try
        {
            final String url = "http://127.0.0.1:" + failing.localAddress().getPort();
            final ApiClient api = new ApiClient(url);
            final ApiClient.ApiClientException early = assertThrows(ApiClient.ApiClientException.class, () -> api.getJson("/metrics"));
            assertTrue(early.getMessage().startsWith("vtep at " + url + " answered /metrics with an error (500): "), early::getMessage);
            assertEquals(1, failing.stats().failedResponses());

            next[0] = failsLater;
            final ApiClient.ApiClientException late = assertThrows(ApiClient.ApiClientException.class, () -> api.getJson("/metrics"));
            assertTrue(late.getMessage().startsWith("vtep at " + url + " closed the connection before its answer to /metrics was complete"),
                late::getMessage);
            assertEquals(2, failing.stats().failedResponses());
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        finally
        {
            failing.close();
        }
    }

    @Test
    void theFdbIsSentChunkedAndHeadSaysSo() throws Exception
    {
        final HttpResponse<String> fdb = send("GET", "/api/v1/fdb");
        assertEquals("chunked", fdb.headers().firstValue("transfer-encoding").orElseThrow());
        assertFalse(fdb.headers().firstValue("content-length").isPresent());
        assertEquals(fixture.router().handle("GET", "/api/v1/fdb", null).bodyText(), fdb.body());
        final HttpResponse<String> head = send("HEAD", "/api/v1/fdb");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(200, send("GET", "/healthz").statusCode(), "the connection is reusable after HEAD");
    }

    @Test
    void anHttp10ClientGetsTheFdbWithoutChunksEndedByTheConnection() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort()))
        {
            socket.getOutputStream().write("GET /api/v1/fdb HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.startsWith("http/1.0 200") || head.startsWith("http/1.1 200"), head);
            assertFalse(head.contains("transfer-encoding"), head);
            assertEquals(fixture.router().handle("GET", "/api/v1/fdb", null).bodyText(), answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void theListenerCountsAreExported() throws Exception
    {
        final io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        ApiMeters.bind(registry, server.stats());
        assertEquals(200, send("GET", "/healthz").statusCode());
        final String scrape = registry.scrape();
        for (final String series : new String[] {"\nvtep_api_connections ", "vtep_api_connections_refused_total 0.0",
            "vtep_api_connections_timed_out_total{reason=\"header\"} 0.0", "vtep_api_connections_timed_out_total{reason=\"idle\"} 0.0",
            "vtep_api_response_errors_total 0.0"})
        {
            assertTrue(scrape.contains(series), () -> series + " missing in\n" + scrape);
        }
        registry.close();
    }

    /** Pipelined requests for streamed answers are answered in order, one stream at a time. */
    @Test
    void pipelinedStreamsAreAnsweredInOrder() throws Exception
    {
        final String one = fixture.router().handle("GET", "/api/v1/fdb", null).bodyText();
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort()))
        {
            final StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 50; i++)
            {
                requests.append(i % 2 == 0 ? "GET /api/v1/fdb HTTP/1.1\r\nHost: x\r\n\r\n" : "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            requests.append("GET /api/v1/fdb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            final String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(51, answers.split("HTTP/1.1 200 OK", -1).length - 1, answers);
            // Each chunked body holds the document whole (it is smaller than one piece: one chunk).
            final String chunk = Integer.toHexString(one.length()) + "\r\n" + one + "\r\n0\r\n\r\n";
            int whole = 0;
            for (int at = answers.indexOf(chunk); at >= 0; at = answers.indexOf(chunk, at + 1))
            {
                whole++;
            }
            assertEquals(26, whole, answers);
            assertTrue(answers.endsWith("0\r\n\r\n"), answers);
        }
    }

    /**
     * A stream to a client that reads as fast as vtep writes never holds the API thread: another
     * client is answered while it runs (here an endless document, so "after it" never comes), and a
     * reader that goes away is no error of vtep's.
     */
    @Test
    void otherClientsAreAnsweredWhileADocumentStreams() throws Exception
    {
        // Each piece takes a while to write (as a page of the FDB does), longer than the reader
        // takes to read it: the socket never fills, so only the stream itself can let others in.
        final StreamedDocument endless = out ->
        {
            LockSupport.parkNanos(2_000_000);
            out.append(" ".repeat(StreamedDocument.PIECE_CHARS));
            return true;
        };
        final ApiServer streaming = ApiServer.start(new ApiConfig("127.0.0.1", 0), new ApiRouter(fixture.fdb, fixture.tables,
            fixture.counters, accept -> ApiResponse.jsonStream(() -> endless), () -> null, "1"));
        try (Socket reader = new Socket("127.0.0.1", streaming.localAddress().getPort()))
        {
            reader.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final long[] read = {0};
            final Thread drain = Thread.ofPlatform().daemon().start(() ->
            {
                final byte[] buffer = new byte[64 * 1024];
                try
                {
                    for (int n; (n = reader.getInputStream().read(buffer)) > 0;)
                    {
                        read[0] += n;
                    }
                }
                catch (final IOException ex)
                {
                    // closed at the end of the test
                }
            });
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (read[0] < 1_000_000 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(read[0] >= 1_000_000, "the stream runs");
            final HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
                streaming.localAddress().getPort() + "/healthz")).timeout(java.time.Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            final long before = read[0];
            Thread.sleep(100);
            assertTrue(read[0] > before, "the stream still runs");
            reader.close();
            drain.join();
        }
        finally
        {
            streaming.close();
        }
        assertEquals(0, streaming.stats().failedResponses(), "a reader that leaves is not a failure");
    }
}
