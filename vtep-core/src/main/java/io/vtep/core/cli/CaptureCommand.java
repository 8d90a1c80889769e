package io.vtep.core.cli;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import io.vtep.core.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vtep capture --vni N [--count K] [--seconds S] [--snaplen L] -w FILE|-} : the frames of one
 * VNI of a running vtep, both directions, as pcapng ({@code GET /api/v1/capture}), written to a file
 * or standard output (for {@code | tshark -r -}); a summary (frames captured, dropped) goes to
 * standard error. Ends after the count or the time, or on Ctrl-C (which ends the capture in vtep
 * too, by closing the connection).
 */
@Command(description = "A VNI's frames, both directions, as pcapng to FILE or - (standard output, for | tshark -r -).")
final class CaptureCommand extends ApiChangeCommand
{
    static final String USAGE = "usage: vtep capture --vni N [--count K] [--seconds S] [--snaplen L] -w FILE|- [--api URL]" +
        " [--token-file FILE] [--ca-file FILE]";
    private static final int ENHANCED_PACKET = 6;
    private static final int INTERFACE_STATISTICS = 5;
    private static final int ISB_IFDROP = 5;

    // Strings, so that a bad value is reported in vtep's words, not picocli's.
    @Option(names = "--vni", paramLabel = "N", description = "the VNI to capture (1..16777215)")
    String vni;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE|-", description = "the pcapng file, - for standard output")
    String file;

    @Option(names = "--count", paramLabel = "K", description = "stop after K frames")
    String count;

    @Option(names = "--seconds", paramLabel = "S", description = "stop after S seconds")
    String seconds;

    @Option(names = "--snaplen", paramLabel = "L", description = "keep at most L bytes of each frame")
    String snaplen;

    CaptureCommand(final CliContext context)
    {
        super(context);
    }

    @Override
    protected int change()
    {
        final PrintStream err = context.err();
        if (vni == null || file == null)
        {
            err.println("vtep capture: " + (vni == null ? "--vni" : "-w") + " is required");
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        final StringBuilder query = new StringBuilder();
        final String[][] limits = {{"--count", count}, {"--seconds", seconds}, {"--snaplen", snaplen}};
        for (final String[] limit : limits)
        {
            if (limit[1] == null)
            {
                continue;
            }
            if (!limit[1].matches("[0-9]{1,10}"))
            {
                err.println("vtep capture: " + limit[0] + " " + limit[1] + " is not a number");
                return Main.EXIT_USAGE;
            }
            query.append('&').append(limit[0].substring(2)).append('=').append(limit[1]);
        }
        if (!vni.matches("[0-9]{1,8}"))
        {
            err.println("vtep capture: --vni " + vni + " is not a VNI (1..16777215)");
            return Main.EXIT_USAGE;
        }
        // A capture shows a segment's traffic: a vtep with api.token-file asks for the token.
        final ApiClient client = connection.client(context);
        if (client == null)
        {
            return Main.EXIT_USAGE;
        }
        try (client)
        {
            return capture(client, "/api/v1/capture?vni=" + vni + query, vni, file, context.out(), err);
        }
    }

    private static int capture(final ApiClient client, final String pathAndQuery, final String vni, final String file,
        final PrintStream out, final PrintStream err)
    {
        final String url = client.base() + pathAndQuery;
        final HttpResponse<InputStream> response;
        try
        {
            response = client.stream(pathAndQuery);
        }
        catch (final IOException ex)
        {
            err.println("vtep: no answer from " + url + " (" + (ex instanceof java.net.ConnectException ?
                "connection refused: is vtep running there? --api URL" : String.valueOf(ex.getMessage())) + ")");
            return Main.EXIT_FAILURE;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Main.EXIT_FAILURE;
        }
        if (response.statusCode() != 200)
        {
            try (InputStream body = response.body())
            {
                err.println("vtep: " + response.statusCode() + " from vtep: " + new String(body.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
            catch (final IOException ex)
            {
                err.println("vtep: " + response.statusCode() + " from vtep");
            }
            return Main.EXIT_FAILURE;
        }
        final AtomicLong frames = new AtomicLong();
        final Thread interrupted = new Thread(() -> err.println("vtep capture: " + frames.get() + " frames captured from VNI " + vni +
            " (interrupted: vtep reports drops at the end of a capture)"));
        Runtime.getRuntime().addShutdownHook(interrupted);
        final boolean toStdout = file.equals("-");
        try (InputStream body = response.body();
             OutputStream sink = toStdout ? out : new BufferedOutputStream(Files.newOutputStream(Path.of(file)), 1 << 16))
        {
            final long dropped = copy(new DataInputStream(body), sink, toStdout, frames);
            sink.flush();
            Runtime.getRuntime().removeShutdownHook(interrupted);
            if (dropped < 0)
            {
                err.println("vtep capture: " + frames.get() + " frames captured from VNI " + vni +
                    "; the stream ended without vtep's statistics (vtep stopped or the connection broke)");
                return Main.EXIT_FAILURE;
            }
            err.println("vtep capture: " + frames.get() + " frames captured, " + dropped + " dropped (capture buffer full) from VNI " + vni);
            return Main.EXIT_OK;
        }
        catch (final IOException ex)
        {
            Runtime.getRuntime().removeShutdownHook(interrupted);
            err.println("vtep capture: " + ex.getMessage() + " after " + frames.get() + " frames");
            return Main.EXIT_FAILURE;
        }
    }

    /**
     * Copies the pcapng stream block by block, counting Enhanced Packet Blocks and reading the drops
     * from the Interface Statistics Block vtep ends a capture with.
     *
     * @return the drops vtep reported, or -1 when the stream ended without its statistics
     */
    static long copy(final DataInputStream in, final OutputStream sink, final boolean flushEachBlock, final AtomicLong frames)
        throws IOException
    {
        final byte[] header = new byte[8];
        long dropped = -1;
        while (true)
        {
            try
            {
                in.readFully(header);
            }
            catch (final EOFException ex)
            {
                return dropped;
            }
            final ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            final int type = fields.getInt(0);
            final int length = fields.getInt(4);
            if (length < 12 || length % 4 != 0 || length > (1 << 24))
            {
                throw new IOException("not a pcapng stream (block of length " + length + ")");
            }
            final byte[] block = new byte[length];
            System.arraycopy(header, 0, block, 0, 8);
            in.readFully(block, 8, length - 8);
            sink.write(block);
            if (flushEachBlock)
            {
                sink.flush();
            }
            if (type == ENHANCED_PACKET)
            {
                frames.incrementAndGet();
            }
            else if (type == INTERFACE_STATISTICS)
            {
                dropped = ifdrop(ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN));
            }
        }
    }

    /** {@code isb_ifdrop} of an Interface Statistics Block (options after the 20-byte fixed part), 0 when absent. */
    private static long ifdrop(final ByteBuffer block)
    {
        int at = 20;
        final int end = block.getInt(4) - 4;
        while (at + 4 <= end)
        {
            final int code = block.getShort(at) & 0xFFFF;
            final int length = block.getShort(at + 2) & 0xFFFF;
            if (code == 0)
            {
                break;
            }
            if (code == ISB_IFDROP && length == 8)
            {
                return block.getLong(at + 4);
            }
            at += 4 + ((length + 3) & ~3);
        }
        return 0;
    }
}
