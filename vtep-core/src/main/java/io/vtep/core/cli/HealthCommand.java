package io.vtep.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import io.vtep.core.config.ApiConfig;
import io.vtep.core.config.ConfigException;
import io.vtep.core.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code vtep health [--config FILE]}: is the vtep of this configuration ready? Reads
 * {@code api.listen} from the file (default {@code $VTEP_CONFIG}, else {@code /etc/vtep/vtep.yaml},
 * where the container image mounts it) and asks {@code GET /readyz} there: exit 0 when ready, 1
 * when not (or not answering; the reason is printed), 2 when the configuration is bad. The image's
 * {@code HEALTHCHECK} runs it, so the check follows {@code api.listen} wherever the file puts it.
 * {@code VTEP_HEALTH_ADDR=HOST:PORT}, which the image's earlier health check asked, still wins
 * when set (the file must be valid all the same).
 */
@Command(description = "Is the vtep of this configuration ready? (exit 0 yes, 1 no, 2 bad config; default FILE $VTEP_CONFIG or " +
    HealthCommand.DEFAULT_CONFIG + ")")
final class HealthCommand extends VtepCommand
{
    static final String DEFAULT_CONFIG = "/etc/vtep/vtep.yaml";
    private static final int TIMEOUT_MILLIS = 2_000;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    HealthCommand(final CliContext context)
    {
        super(context);
    }

    @Override
    public Integer call()
    {
        return run(context.out(), context.err(), context.env());
    }

    private int run(final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        final Path file = config.file != null ? config.file : Path.of(environment.getOrDefault("VTEP_CONFIG", DEFAULT_CONFIG));
        final ApiConfig api;
        try
        {
            api = ConfigLoader.load(file).api();
        }
        catch (final ConfigException ex)
        {
            err.println("vtep: configuration error in " + file + ": " + ex.getMessage());
            return Main.EXIT_USAGE;
        }
        String host = reachable(api.host());
        int port = api.port();
        final String override = environment.getOrDefault("VTEP_HEALTH_ADDR", "");
        if (!override.isBlank())
        {
            final int colon = override.lastIndexOf(':');
            try
            {
                port = Integer.parseInt(override.substring(colon + 1));
                host = reachable(override.substring(0, colon).replace("[", "").replace("]", ""));
            }
            catch (final RuntimeException ex)
            {
                err.println("vtep: VTEP_HEALTH_ADDR=" + override + " is not HOST:PORT");
                return Main.EXIT_USAGE;
            }
        }
        return ask(host, port, file, out, err);
    }

    private static int ask(final String host, final int port, final Path file, final PrintStream out, final PrintStream err)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            final OutputStream request = socket.getOutputStream();
            request.write(("GET /readyz HTTP/1.0\r\nHost: vtep\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            final String response = read(socket.getInputStream());
            final int lineEnd = response.indexOf("\r\n");
            final String status = lineEnd < 0 ? response : response.substring(0, lineEnd);
            final int bodyStart = response.indexOf("\r\n\r\n");
            final String body = bodyStart < 0 ? "" : response.substring(bodyStart + 4).strip();
            if (status.matches("HTTP/1\\.[01] 200( .*)?"))
            {
                out.println("ready: " + host + ":" + port);
                return Main.EXIT_OK;
            }
            err.println("vtep: not ready (" + host + ":" + port + " answered " + status + "): " + body);
            return Main.EXIT_FAILURE;
        }
        catch (final IOException ex)
        {
            err.println("vtep: not ready: no answer from the API at " + host + ":" + port + " (api.listen in " + file +
                "): " + ex.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    /** A wildcard listener is asked on loopback of its family. */
    static String reachable(final String host)
    {
        return switch (host)
        {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> host;
        };
    }

    /** At most 64 KiB: a readiness answer is a line. */
    private static String read(final InputStream in) throws IOException
    {
        return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
}
