package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vtep.core.capture.CaptureRegistry;
import io.vtep.core.capture.CaptureTap;
import io.vtep.core.config.ApiConfig;
import io.vtep.encap.MacAddress;
import io.vtep.fdb.FdbEntry;

/**
 * {@code GET /api/v1/capture} through the real listener: the query checked, the pcapng stream with
 * exactly {@code count} frames and the statistics block, the capture ended when the client goes
 * away, at most four at once, and a client that stops reading costing the data path nothing but
 * counted capture drops. The test thread plays a forwarding thread, offering frames to the tap.
 */
class CaptureEndpointTest
{
    private final ApiFixture fixture = new ApiFixture();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private CaptureRegistry captures;
    private ApiServer server;
    private String base;

    @BeforeEach
    void start() throws Exception
    {
        captures = new CaptureRegistry(fixture.tables);
        server = ApiServer.start(new ApiConfig("127.0.0.1", 0), fixture.router().capture(new CaptureEndpoint(captures)));
        base = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private HttpResponse<byte[]> get(final String method, final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(final HttpResponse<byte[]> response)
    {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(5);
        }
    }

    /** Offers a broadcast frame from acc1 (attachment 0) as a forwarding thread would. */
    private void offer(final CaptureTap tap, final int length)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        MacAddress.put(frame, 0, MacAddress.BROADCAST);
        MacAddress.put(frame, 6, MacAddress.parse("02:00:00:00:00:01"));
        tap.fromAccess(frame, 0, length, fixture.now.get(), 0, FdbEntry.NONE, fixture.fdb.remoteVteps());
    }

    /** A GET on a raw socket, never read from. */
    private Socket openUnread(final String path) throws Exception
    {
        final Socket socket = new Socket("127.0.0.1", server.localAddress().getPort());
        socket.setReceiveBufferSize(4096);
        final OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void aBadQueryIsRefusedWithWhatIsWrong() throws Exception
    {
        assertEquals(400, get("GET", "/api/v1/capture").statusCode());
        assertTrue(text(get("GET", "/api/v1/capture")).contains("vni is required"));
        assertEquals(400, get("GET", "/api/v1/capture?vni=abc").statusCode());
        assertEquals(400, get("GET", "/api/v1/capture?vni=100&count=0").statusCode());
        assertEquals(400, get("GET", "/api/v1/capture?vni=100&snaplen=999999").statusCode());
        assertEquals(400, get("GET", "/api/v1/capture?vni=100&filter=x").statusCode());
        assertEquals(404, get("GET", "/api/v1/capture?vni=999").statusCode());
        final HttpResponse<byte[]> post = get("POST", "/api/v1/capture?vni=100");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        assertEquals(0, captures.active(), "no capture was started by any of them");
    }

    /** With api.token-file set, a capture needs the token too: it shows every frame of a segment. */
    @Test
    void withATokenConfiguredACaptureNeedsIt() throws Exception
    {
        server.close();
        final String token = "capture-token-0123456789";
        server = ApiServer.start(new ApiConfig("127.0.0.1", 0),
            fixture.router().capture(new CaptureEndpoint(captures, ApiToken.of(token))));
        base = "http://127.0.0.1:" + server.localAddress().getPort();

        final HttpResponse<byte[]> none = get("GET", "/api/v1/capture?vni=100&count=1");
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertTrue(text(none).contains("shows a segment's traffic"), text(none));
        final HttpResponse<byte[]> wrong = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/capture?vni=100&count=1"))
            .header("Authorization", "Bearer not-the-token-at-all").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, wrong.statusCode());
        assertEquals(0, captures.active(), "refused before a capture started");

        final CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/capture?vni=100&count=1")).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        await(() -> captures.active() == 1, "the capture with the token started");
        offer(fixture.tables.vni(100).captureTap(), 60);
        assertEquals(200, answer.get(5, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void streamsExactlyCountFramesAsPcapngAndEndsWithTheStatistics() throws Exception
    {
        final CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/capture?vni=100&count=3&snaplen=100")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        await(() -> fixture.tables.vni(100).captureTap() != null, "the capture to start");
        final CaptureTap tap = fixture.tables.vni(100).captureTap();
        for (int i = 0; i < 5; i++)
        {
            offer(tap, 60 + i);
        }
        final HttpResponse<byte[]> response = answer.get(5, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("application/x-pcapng", response.headers().firstValue("Content-Type").orElse(""));
        final List<int[]> blocks = blocks(response.body());
        assertEquals(List.of(0x0A0D0D0A, 1, 6, 6, 6, 5), blocks.stream().map(b -> b[0]).toList(),
            "section header, interface, three packets, statistics");
        assertEquals(List.of(60, 61, 62), blocks.stream().filter(b -> b[0] == 6).map(b -> b[1]).toList(),
            "the first three frames offered, whole (original length)");
        await(() -> fixture.tables.vni(100).captureTap() == null, "the capture to end");
        assertEquals(0, captures.active());
    }

    @Test
    void aRequestPipelinedBehindACaptureIsNotAnsweredInsideTheStream() throws Exception
    {
        try (Socket socket = openUnread("/api/v1/capture?vni=100&count=1"))
        {
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await(() -> fixture.tables.vni(100).captureTap() != null, "the capture to start");
            offer(fixture.tables.vni(100).captureTap(), 60);
            socket.setSoTimeout(5_000);
            final String answer = new String(readUntilClosed(socket), StandardCharsets.ISO_8859_1);
            assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer, the capture's, then the connection closes");
            assertTrue(answer.endsWith("0\r\n\r\n"), "the chunked stream ends properly");
        }
    }

    /**
     * Everything the server sent before it closed. It closes with the pipelined request unread, so
     * Linux answers the close with a reset (RFC 1122 §4.2.2.13); what arrived before the reset is
     * still read, and only the read after it fails: that failure ends the answer like a close would.
     */
    private static byte[] readUntilClosed(final Socket socket) throws IOException
    {
        final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        final byte[] chunk = new byte[4096];
        try
        {
            for (int n; (n = socket.getInputStream().read(chunk)) > 0;)
            {
                received.write(chunk, 0, n);
            }
        }
        catch (final java.net.SocketException reset)
        {
            // the reset after the server's close; what came before it is in received
        }
        return received.toByteArray();
    }

    @Test
    void aClientThatGoesAwayEndsTheCapture() throws Exception
    {
        try (Socket socket = openUnread("/api/v1/capture?vni=100"))
        {
            await(() -> captures.active() == 1, "the capture to start");
        }
        await(() -> captures.active() == 0 && fixture.tables.vni(100).captureTap() == null, "the capture to end with its connection");
    }

    @Test
    void atMostFourCapturesRunAndTheFifthGets429() throws Exception
    {
        final List<Socket> sockets = new ArrayList<>();
        try
        {
            for (int i = 0; i < CaptureRegistry.MAX_CAPTURES; i++)
            {
                sockets.add(openUnread("/api/v1/capture?vni=" + (i % 2 == 0 ? 100 : 200)));
            }
            await(() -> captures.active() == CaptureRegistry.MAX_CAPTURES, "four captures");
            final HttpResponse<byte[]> fifth = get("GET", "/api/v1/capture?vni=100");
            assertEquals(429, fifth.statusCode());
            assertEquals("5", fifth.headers().firstValue("Retry-After").orElse(""));
            assertEquals(200, get("GET", "/healthz").statusCode(), "the API goes on answering");
        }
        finally
        {
            for (final Socket socket : sockets)
            {
                socket.close();
            }
        }
        await(() -> captures.active() == 0, "all captures to end");
    }

    @Test
    void aClientThatNeverReadsCostsTheDataPathOnlyCountedDrops() throws Exception
    {
        try (Socket socket = openUnread("/api/v1/capture?vni=100"))
        {
            await(() -> fixture.tables.vni(100).captureTap() != null, "the capture to start");
            final CaptureTap tap = fixture.tables.vni(100).captureTap();
            // 40 MB of frames: far more than the ring (4 MiB) and both sockets' buffers hold.
            for (int i = 0; i < 40_000; i++)
            {
                offer(tap, 1000);
                if (i % 1000 == 0)
                {
                    Thread.sleep(2); // let the pump fill the socket meanwhile
                }
            }
            assertTrue(captures.drops() > 20_000, "the frames that did not fit are counted: " + captures.drops());
            assertEquals(1, captures.active(), "the capture still runs, waiting for its reader");
        }
        await(() -> captures.active() == 0, "the capture to end with its connection");
    }

    /** {type, original length (EPB) or 0} per block. */
    private static List<int[]> blocks(final byte[] stream)
    {
        final ByteBuffer in = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        final List<int[]> blocks = new ArrayList<>();
        for (int at = 0; at < stream.length; at += in.getInt(at + 4))
        {
            final int type = in.getInt(at);
            blocks.add(new int[] {type, type == 6 ? in.getInt(at + 24) : 0});
        }
        return blocks;
    }
}
