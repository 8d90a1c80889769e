package io.vtep.topology;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;

/**
 * Moves a file of random bytes over one TCP connection from one host to another and reports what
 * arrived (byte count and SHA-256), so a test can prove that data crossed intact, not only that a
 * throughput tool saw bytes. Python's socket module does the work on both ends (Debian's
 * {@code /usr/bin/python3}); the sender uses {@code sendfile}, so a host with offloads on hands
 * its interface full-size TSO super-frames.
 */
public final class TcpTransfer
{

    /** What the receiver counted. */
    public record Result(long bytes, String sha256)
    {
    }

    private TcpTransfer()
    {
    }

    /** Writes {@code bytes} random bytes (from {@code seed}) to {@code file} and returns their SHA-256. */
    public static Result randomFile(Path file, long bytes, long seed) throws IOException
    {
        MessageDigest digest = sha256();
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file))
        {
            for (long left = bytes; left > 0; left -= chunk.length)
            {
                random.nextBytes(chunk);
                int n = (int)Math.min(left, chunk.length);
                out.write(chunk, 0, n);
                digest.update(chunk, 0, n);
            }
        }
        return new Result(bytes, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * Sends {@code file} from {@code from} to {@code to}'s address on TCP {@code port}.
     *
     * @return what the receiver got (it counts until the sender closes)
     */
    public static Result send(Host from, Host to, int port, Path file, Duration timeout)
    {
        String receiver = """
            import hashlib, socket
            s = socket.socket(socket.AF_INET6 if ':' in '%1$s' else socket.AF_INET)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('%1$s', %2$d)); s.listen(1); print('listening', flush=True)
            c, _ = s.accept(); h = hashlib.sha256(); n = 0
            while True:
                b = c.recv(1 << 20)
                if not b: break
                h.update(b); n += len(b)
            print('received', n, h.hexdigest(), flush=True)
            """.formatted(to.ip(), port);
        try (ManagedProcess server = to.netns().spawn("tcp receiver in " + to.netns().name(),
            List.of(Requirements.SYSTEM_PYTHON, "-c", receiver)))
        {
            server.awaitOutput("listening", Duration.ofSeconds(10));
            String sender = """
                import socket
                s = socket.create_connection(('%s', %d), timeout=%d)
                with open('%s', 'rb') as f: s.sendfile(f)
                s.close()
                """.formatted(to.ip(), port, timeout.toSeconds(), file);
            from.netns().execOk(timeout, Requirements.SYSTEM_PYTHON, "-c", sender);
            Matcher m = server.awaitOutputMatch("received (\\d+) ([0-9a-f]{64})", Duration.ofSeconds(30));
            return new Result(Long.parseLong(m.group(1)), m.group(2));
        }
    }

    /** {@link #send} from {@code a} to {@code b} on {@code port}, then back from {@code b} to {@code a} on {@code port + 1}. */
    public static List<Result> bothWays(Host a, Host b, int port, Path file)
    {
        Duration timeout = Duration.ofSeconds(60);
        return List.of(send(a, b, port, file, timeout), send(b, a, port + 1, file, timeout));
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
