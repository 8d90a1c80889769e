package io.vtep.core.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.vtep.core.api.ApiResponse;
import io.vtep.core.api.ApiRouter;
import io.vtep.core.api.ApiServer;
import io.vtep.core.config.ApiConfig;
import io.vtep.core.pipeline.Attachment;
import io.vtep.core.pipeline.ForwardingTables;
import io.vtep.core.pipeline.PortContext;
import io.vtep.core.pipeline.VniContext;
import io.vtep.core.testing.RecordingPort;
import io.vtep.encap.VtepAddress;
import io.vtep.fdb.Fdb;
import io.vtep.fdb.FdbSettings;
import io.vtep.fdb.LearningMode;
import io.vtep.fdb.RemoteVtep;
import io.vtep.metrics.CounterLayout;
import io.vtep.metrics.CounterSnapshotSource;

/**
 * Run in its own JVM with a small heap by {@link LargeFdbApiTest}: an FDB of N entries (half local in
 * VNI 100, half remote in VNI 200), the API on loopback, then {@code GET /api/v1/fdb} read as a stream
 * and {@code vtep fdb show} against it. Prints {@code key=value} lines for the test to check; an
 * OutOfMemoryError anywhere ends it with a non-zero exit.
 */
public final class LargeFdbProgram
{
    private LargeFdbProgram()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) ->
        {
            System.out.println("uncaught=" + thread.getName() + " " + ex);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        });
        final int entries = Integer.parseInt(args[0]);
        long started = System.nanoTime();
        final Fdb fdb = new Fdb(settingsFor(entries));
        fdb.addVni(100, LearningMode.DATA_PLANE, 0, null);
        fdb.addVni(200, LearningMode.DATA_PLANE, 0, null);
        final ForwardingTables tables = new ForwardingTables(fdb);
        final VniContext vni100 = tables.addVni(100);
        tables.addVni(200);
        final PortContext acc1 = tables.addPort(new RecordingPort("acc1"));
        final Attachment untagged = tables.attach(acc1, Attachment.UNTAGGED, vni100);
        final RemoteVtep peer = fdb.remoteVteps().intern(VtepAddress.parse("192.0.2.2"));
        for (int i = 0; i < entries; i++)
        {
            // Multiplying by an odd constant is a bijection of 40-bit numbers: distinct MACs in no order.
            final long mac = 0x0200_0000_0000L | ((i * 0x9E37_79B1L) & 0xFF_FFFF_FFFFL);
            if ((i & 1) == 0)
            {
                fdb.addStaticLocal(100, mac, untagged.id());
            }
            else
            {
                fdb.addStatic(200, mac, peer);
            }
        }
        System.gc();
        final Runtime runtime = Runtime.getRuntime();
        System.out.println("fdb_heap_mb=" + (runtime.totalMemory() - runtime.freeMemory()) / (1 << 20));
        System.out.println("fdb_fill_ms=" + (System.nanoTime() - started) / 1_000_000);
        resetPeaks();
        started = System.nanoTime();

        final ApiServer server = ApiServer.start(new ApiConfig("127.0.0.1", 0), new ApiRouter(fdb, tables,
            new CounterSnapshotSource(new CounterLayout(2, 16)), accept -> ApiResponse.text(200, ""), () -> null, "test"));
        final String url = "http://127.0.0.1:" + server.localAddress().getPort();
        try
        {
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/fdb")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
            System.out.println("stream_status=" + response.statusCode());
            System.out.println("stream_transfer_encoding=" + response.headers().firstValue("transfer-encoding").orElse("none"));
            // While the stream runs, /healthz is asked on another connection: how long it waits for
            // the API thread shows what one page walk costs it (a figure, not asserted).
            final long[] healthzMaxNanos = {0};
            final int[] healthzAnswered = {0};
            final HttpClient probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final Thread prober = Thread.ofPlatform().daemon().start(() ->
            {
                try
                {
                    for (int i = 0; i < 50 && !Thread.currentThread().isInterrupted(); i++)
                    {
                        final long asked = System.nanoTime();
                        probe.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                        healthzMaxNanos[0] = Math.max(healthzMaxNanos[0], System.nanoTime() - asked);
                        healthzAnswered[0]++;
                        Thread.sleep(50);
                    }
                }
                catch (final InterruptedException ex)
                {
                    // the stream ended
                }
                catch (final Exception ex)
                {
                    System.out.println("healthz_error=" + ex);
                }
            });
            try (InputStream body = response.body())
            {
                final StreamScan scan = new StreamScan();
                body.transferTo(scan);
                prober.interrupt();
                prober.join();
                System.out.println("healthz_answered_during_stream=" + healthzAnswered[0]);
                System.out.println("healthz_max_ms_during_stream=" + healthzMaxNanos[0] / 1_000_000);
                System.out.println("stream_entries=" + scan.entries);
                System.out.println("stream_complete=" + scan.endsWell());
            }
            System.out.println("stream_ms=" + (System.nanoTime() - started) / 1_000_000);
            System.out.println("stream_peak_heap_mb=" + peakHeapMb());

            resetPeaks();
            started = System.nanoTime();
            final LineCheck lines = new LineCheck();
            final int exit = Main.run(new String[] {"fdb", "show", "--api", url}, new PrintStream(lines, false, StandardCharsets.UTF_8),
                System.out);
            System.out.println("cli_exit=" + exit);
            System.out.println("cli_lines=" + lines.lines);
            System.out.println("cli_sorted=" + lines.sorted);
            System.out.println("cli_ms=" + (System.nanoTime() - started) / 1_000_000);
            System.out.println("cli_peak_heap_mb=" + peakHeapMb());
        }
        finally
        {
            server.close();
        }
        System.out.flush();
        System.exit(0);
    }

    /**
     * The default settings with room for {@code entries}: the global entry cap, sized from the heap
     * by default, would refuse a million entries in this small heap.
     */
    private static FdbSettings settingsFor(final int entries)
    {
        return FdbSettings.defaults().withMaxEntries(entries + 1024);
    }

    private static void resetPeaks()
    {
        System.gc();
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            pool.resetPeakUsage();
        }
    }

    /** Peak of the heap pools since {@link #resetPeaks} (an upper bound of what was live: garbage included). */
    private static long peakHeapMb()
    {
        long peak = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getType() == MemoryType.HEAP)
            {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1 << 20);
    }

    /** Counts entries ({@code {"vni":}) in a stream of bytes and keeps its last bytes, holding nothing else. */
    private static final class StreamScan extends OutputStream
    {
        private static final byte[] MARK = "{\"vni\":".getBytes(StandardCharsets.US_ASCII);
        private final byte[] tail = new byte[3];
        private int matched;
        private long entries;
        private long total;

        @Override
        public void write(final byte[] bytes, final int offset, final int length)
        {
            for (int i = offset; i < offset + length; i++)
            {
                write(bytes[i]);
            }
        }

        @Override
        public void write(final int b)
        {
            tail[0] = tail[1];
            tail[1] = tail[2];
            tail[2] = (byte)b;
            total++;
            matched = b == MARK[matched] ? matched + 1 : (b == MARK[0] ? 1 : 0);
            if (matched == MARK.length)
            {
                entries++;
                matched = 0;
            }
        }

        boolean endsWell()
        {
            return total >= 3 && new String(tail, StandardCharsets.US_ASCII).equals("]}\n");
        }
    }

    /** Counts {@code fdb show} lines and checks that (VNI, MAC) only grows, holding one line. */
    private static final class LineCheck extends OutputStream
    {
        private final StringBuilder line = new StringBuilder();
        private String previousKey = "";
        private long lines;
        private boolean sorted = true;

        @Override
        public void write(final int b)
        {
            if (b != '\n')
            {
                line.append((char)b);
                return;
            }
            lines++;
            final String[] words = line.toString().split(" ");
            final String key = String.format("%08d", Integer.parseInt(words[2])) + words[0];
            if (key.compareTo(previousKey) <= 0)
            {
                sorted = false;
            }
            previousKey = key;
            line.setLength(0);
        }
    }
}
