package io.vtep.core.nativeio;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named Linux network namespaces (the ones {@code ip netns add NAME} creates under
 * {@code /run/netns}), entered per thread.
 *
 * <p>Why per thread: {@code setns(fd, CLONE_NEWNET)} moves only the calling thread (a Linux task),
 * and a socket belongs for life to the namespace of the thread that created it. So an appliance
 * whose sockets must live in a test namespace is started by creating its sockets on a thread that
 * has entered the namespace ({@link #call}); afterwards any thread may use them. Everything that
 * resolves interface names ({@code if_nametoindex}, libpcap's {@code pcap_activate}) must also run
 * on such a thread. Note that {@code /proc/net} shows the namespace of the process's main thread,
 * not the calling thread's; read {@code /proc/thread-self/net} instead.
 *
 * <p>Threads that do long-lived work inside a namespace (e.g. an event loop accepting BGP or
 * HTTP connections) can be made by {@link #threadFactory}.
 */
public final class NetworkNamespace
{
    /** Where {@code ip netns} keeps its namespace handles. */
    public static final String NETNS_RUN_DIR = "/run/netns/";

    private NetworkNamespace()
    {
    }

    /**
     * Moves the calling platform thread into network namespace {@code name} for the rest of its life.
     *
     * @throws IOException when the namespace does not exist, or when not permitted (needs CAP_SYS_ADMIN)
     */
    public static void enter(final String name) throws IOException
    {
        validate(name);
        if (Thread.currentThread().isVirtual())
        {
            // a virtual thread moves between carrier threads: the namespace would stay behind
            throw new IOException("cannot enter network namespace " + name + " from a virtual thread");
        }
        final int fd;
        try
        {
            fd = Libc.open(NETNS_RUN_DIR + name, LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC);
        }
        catch (final ErrnoException ex)
        {
            if (ex.errno() == LinuxConstants.ENOENT)
            {
                throw new IOException("network namespace " + name + " does not exist (no " + NETNS_RUN_DIR + name + ")", ex);
            }
            throw ex;
        }
        try
        {
            Libc.setns(fd, LinuxConstants.CLONE_NEWNET, "setns(" + NETNS_RUN_DIR + name + ", CLONE_NEWNET)");
        }
        catch (final ErrnoException ex)
        {
            if (ex.errno() == LinuxConstants.EPERM)
            {
                throw new IOException("entering network namespace " + name + " needs CAP_SYS_ADMIN", ex);
            }
            throw ex;
        }
        finally
        {
            Libc.closeQuietly(fd);
        }
    }

    /**
     * Runs {@code task} on a fresh platform thread inside namespace {@code name}, waits for it and
     * returns its result (or throws its exception). The thread ends afterwards, so the caller's
     * namespace is never touched.
     */
    public static <T> T call(final String name, final Callable<T> task) throws Exception
    {
        validate(name);
        Objects.requireNonNull(task, "task");
        final FutureTask<T> future = new FutureTask<>(() ->
        {
            enter(name);
            return task.call();
        });
        final Thread thread = Thread.ofPlatform().name("netns-" + name).start(future);
        try
        {
            return future.get();
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof Exception exception)
            {
                throw exception;
            }
            if (cause instanceof Error error)
            {
                throw error;
            }
            throw ex;
        }
        finally
        {
            thread.join();
        }
    }

    /** {@link #call} for tasks without a result. */
    public static void run(final String name, final ThrowingRunnable task) throws Exception
    {
        call(name, () ->
        {
            task.run();
            return null;
        });
    }

    /**
     * A factory of platform threads that enter namespace {@code name} before running their task.
     * A thread that cannot enter it ends with the {@link IOException} as uncaught exception rather
     * than run in the wrong namespace.
     */
    public static ThreadFactory threadFactory(final String name, final String threadNamePrefix)
    {
        validate(name);
        final AtomicInteger counter = new AtomicInteger();
        return runnable -> Thread.ofPlatform()
            .name(threadNamePrefix + "-" + counter.incrementAndGet())
            .unstarted(() ->
            {
                try
                {
                    enter(name);
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex.getMessage(), ex);
                }
                runnable.run();
            });
    }

    /** A task for {@link #run} that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable
    {
        void run() throws Exception;
    }

    private static void validate(final String name)
    {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals(".."))
        {
            throw new IllegalArgumentException("not a network namespace name: '" + name + "'");
        }
    }
}
