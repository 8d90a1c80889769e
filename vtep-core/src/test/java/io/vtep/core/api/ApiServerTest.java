package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.config.ApiConfig;
import io.vtep.core.config.ConfigException;

/** The Netty listener on loopback: real HTTP through it, keep-alive, HEAD, errors, and binding problems. */
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
            fixture.counters, accept -> { throw new IllegalStateException("boom"); }, () -> null, "1"));
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
        assertEquals("api.listen 127.0.0.1:" + port + ": address already in use (another vtep or program listens there;"
            + " stop it or change api.listen)", ex.getMessage());
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
        for (final String bad : new String[] {"127.0.0.1:9100", "https://x:1", "http://x:1/api", "ftp://x", "http://x:1?q", "::"})
        {
            assertThrows(IllegalArgumentException.class, () -> new ApiClient(bad), bad);
        }
    }
}
