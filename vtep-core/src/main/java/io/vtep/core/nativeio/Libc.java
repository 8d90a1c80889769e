package io.vtep.core.nativeio;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The glibc socket, namespace and file calls the appliance needs, bound with the Foreign Function
 * and Memory API ({@code java.lang.foreign}): no C, no JNI.
 *
 * <p>Two kinds of binding, for two kinds of caller:
 * <ul>
 * <li><b>Setup calls</b> ({@link #socket}, {@link #bind}, {@link #setsockopt}, {@link #open},
 * {@link #setns}, ...) capture {@code errno} with {@link Linker.Option#captureCallState} (reading
 * {@code errno} after the call would be wrong: the JVM itself may have made other libc calls in
 * between) and throw an {@link ErrnoException} with strerror-style text. They allocate freely.</li>
 * <li><b>Data-path calls</b> ({@link #send}, {@link #sendto}, {@link #recvmsg}, {@link #recvmmsg},
 * {@link #recvfrom}, {@link #poll}) never allocate and never throw: every pointer argument is passed as a
 * {@code long} address ({@code JAVA_LONG} where C has a pointer, which is the same register and
 * width in the x86_64 and aarch64 SysV calling conventions), so no {@link MemorySegment} is created
 * per call, and the result is returned as the kernel gave it ({@code -1} on failure). They do not
 * capture errno: a data-path caller only counts a failed send and stops draining on a failed
 * receive, whatever the reason, and a capture segment would be one more argument to keep alive.
 * The structures they point to live in preallocated memory ({@link NativeScratch}).</li>
 * </ul>
 *
 * <p>The method handles are {@code static final}, so the JIT inlines {@code invokeExact} into a
 * direct call of the downcall stub.
 */
@SuppressWarnings("restricted") // binding native functions is what this class is for
public final class Libc
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE_STATE.byteOffset(groupElement("errno"));

    /** {@code struct ifreq}: a 16-byte name, then a 24-byte union ({@code ifr_mtu} is an int at its start). */
    private static final int IFREQ_LENGTH = 40;
    private static final long IFREQ_UNION_OFFSET = 16;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCGIFINDEX = 0x8933;
    /** More than the JDK's {@code CUSTOMIZE_THRESHOLD} (127), see {@link #prepareDataPathCalls()}. */
    private static final int DATA_PATH_CUSTOMIZE_CALLS = 130;

    // ---- setup calls: (capture state, args...) -> int --------------------------------------------

    /** {@code int socket(int domain, int type, int protocol)} */
    private static final MethodHandle SOCKET = setupCall("socket",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code int bind(int fd, const struct sockaddr *addr, socklen_t len)} */
    private static final MethodHandle BIND = setupCall("bind",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)} */
    private static final MethodHandle CONNECT = setupCall("connect",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t len)} */
    private static final MethodHandle SETSOCKOPT = setupCall("setsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *len)} */
    private static final MethodHandle GETSOCKOPT = setupCall("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** {@code int close(int fd)} */
    private static final MethodHandle CLOSE = setupCall("close",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code unsigned int if_nametoindex(const char *name)} (0 and errno on failure) */
    private static final MethodHandle IF_NAMETOINDEX = setupCall("if_nametoindex",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code int setns(int fd, int nstype)} */
    private static final MethodHandle SETNS = setupCall("setns",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code int open(const char *path, int flags, ...)}: variadic, mode is the first variadic argument. */
    private static final MethodHandle OPEN = LINKER.downcallHandle(
        LIBC.find("open").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
        CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    /** {@code int ioctl(int fd, unsigned long request, ...)}: variadic, the argument pointer is the first variadic argument. */
    private static final MethodHandle IOCTL = LINKER.downcallHandle(
        LIBC.find("ioctl").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
        CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    /** {@code int dup3(int oldfd, int newfd, int flags)} */
    private static final MethodHandle DUP3 = setupCall("dup3",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code int socketpair(int domain, int type, int protocol, int sv[2])} */
    private static final MethodHandle SOCKETPAIR = setupCall("socketpair",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    /** {@code int shutdown(int fd, int how)} */
    private static final MethodHandle SHUTDOWN = setupCall("shutdown",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *mask)} */
    private static final MethodHandle SCHED_GETAFFINITY = setupCall("sched_getaffinity",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    /** {@code int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask)} */
    private static final MethodHandle SCHED_SETAFFINITY = setupCall("sched_setaffinity",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));

    /** {@code int setpriority(int which, id_t who, int prio)} */
    private static final MethodHandle SETPRIORITY = setupCall("setpriority",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)} */
    private static final MethodHandle MMAP = setupCall("mmap",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    /** {@code int munmap(void *addr, size_t length)} */
    private static final MethodHandle MUNMAP = setupCall("munmap",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED = 0x01;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_ANONYMOUS = 0x20;

    // ---- data-path calls: pointers as JAVA_LONG, no errno --------------------------------------

    /** {@code ssize_t send(int fd, const void *buf, size_t len, int flags)} */
    private static final MethodHandle SEND = dataPathCall("send",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    /** {@code ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)} */
    private static final MethodHandle SENDMSG = dataPathCall("sendmsg",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** {@code ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)} */
    private static final MethodHandle SENDTO = dataPathCall("sendto",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** {@code ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen)} */
    private static final MethodHandle RECVFROM = dataPathCall("recvfrom",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** {@code ssize_t recvmsg(int fd, struct msghdr *msg, int flags)} */
    private static final MethodHandle RECVMSG = dataPathCall("recvmsg",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** {@code int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)} */
    private static final MethodHandle RECVMMSG = dataPathCall("recvmmsg",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG));
    /** {@code int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags)} */
    private static final MethodHandle SENDMMSG = dataPathCall("sendmmsg",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    /** {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *len)}, pointers as longs. */
    private static final MethodHandle GETSOCKOPT_DATA_PATH = dataPathCall("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)} */
    private static final MethodHandle POLL = dataPathCall("poll",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));

    // ---- errno text (glibc 2.32+; strerror as a fallback) ------------------------------------------

    private static final Optional<MethodHandle> STRERRORNAME_NP = optionalCall("strerrorname_np",
        FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final Optional<MethodHandle> STRERRORDESC_NP = optionalCall("strerrordesc_np",
        FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final Optional<MethodHandle> STRERROR = optionalCall("strerror",
        FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc()
    {
    }

    // ================================================================================================
    // Setup calls
    // ================================================================================================

    /**
     * @param what the call as a reader wants to see it in an error, e.g. {@code "socket(AF_PACKET, SOCK_RAW)"}
     * @return the new file descriptor
     */
    public static int socket(final int domain, final int type, final int protocol, final String what)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int fd = (int)SOCKET.invokeExact(state, domain, type, protocol);
            check(fd, state, what);
            return fd;
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** Binds {@code fd} to the socket address in {@code address} (its whole size is passed as the length). */
    public static void bind(final int fd, final MemorySegment address, final String what) throws ErrnoException
    {
        withSocketAddress(BIND, fd, address, what);
    }

    /** Connects {@code fd} to the socket address in {@code address} (its whole size is passed as the length). */
    public static void connect(final int fd, final MemorySegment address, final String what) throws ErrnoException
    {
        withSocketAddress(CONNECT, fd, address, what);
    }

    /** {@code bind} or {@code connect}: {@code int call(int fd, const struct sockaddr *addr, socklen_t len)}. */
    private static void withSocketAddress(final MethodHandle call, final int fd, final MemorySegment address, final String what)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)call.invokeExact(state, fd, address, (int)address.byteSize());
            check(result, state, what);
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** Sets a socket option whose value is the whole of {@code value}. */
    public static void setsockopt(
        final int fd, final int level, final int option, final MemorySegment value, final String what)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)SETSOCKOPT.invokeExact(state, fd, level, option, value, (int)value.byteSize());
            check(result, state, what);
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** Sets an {@code int} socket option. */
    public static void setsockoptInt(
        final int fd, final int level, final int option, final int value, final String what)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            setsockopt(fd, level, option, arena.allocateFrom(JAVA_INT, value), what);
        }
    }

    /**
     * Reads a socket option into {@code value}.
     *
     * @return the length the kernel wrote
     */
    public static int getsockopt(
        final int fd, final int level, final int option, final MemorySegment value, final String what)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final MemorySegment length = arena.allocateFrom(JAVA_INT, (int)value.byteSize());
            final int result = (int)GETSOCKOPT.invokeExact(state, fd, level, option, value, length);
            check(result, state, what);
            return length.get(JAVA_INT, 0);
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** Reads an {@code int} socket option. */
    public static int getsockoptInt(final int fd, final int level, final int option, final String what)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment value = arena.allocate(JAVA_INT);
            getsockopt(fd, level, option, value, what);
            return value.get(JAVA_INT, 0);
        }
    }

    /**
     * Closes a file descriptor. Not retried on EINTR: on Linux the descriptor is released even then,
     * and a retry could close a descriptor another thread has just been given.
     */
    public static void close(final int fd) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)CLOSE.invokeExact(state, fd);
            if (result < 0 && errno(state) != LinuxConstants.EINTR)
            {
                throw new ErrnoException("close(" + fd + ")", errno(state));
            }
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@link #close} for cleanup paths that already report another error. */
    public static void closeQuietly(final int fd)
    {
        try
        {
            close(fd);
        }
        catch (final ErrnoException ignored)
        {
            // nothing more useful to do: the caller is already failing or shutting down
        }
    }

    /**
     * The MTU of interface {@code interfaceName} in the network namespace of socket {@code fd}
     * ({@code ioctl(SIOCGIFMTU)}, netdevice(7)): the largest IP packet a frame on it carries.
     */
    public static int interfaceMtu(final int fd, final String interfaceName) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final MemorySegment request = arena.allocate(IFREQ_LENGTH);
            request.copyFrom(arena.allocateFrom(interfaceName));
            final int result = (int)IOCTL.invokeExact(state, fd, SIOCGIFMTU, request);
            if (result < 0)
            {
                throw new ErrnoException("ioctl(SIOCGIFMTU, " + interfaceName + ")", errno(state));
            }
            return request.get(JAVA_INT, IFREQ_UNION_OFFSET);
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * The flags of interface {@code interfaceName} ({@code ioctl(SIOCGIFFLAGS)}, netdevice(7)) in
     * the network namespace of socket {@code fd}: {@code IFF_UP} (administratively up),
     * {@code IFF_RUNNING} (operationally up: carrier), ...
     *
     * @throws ErrnoException with {@link LinuxConstants#ENODEV} when there is no such interface
     */
    public static int interfaceFlags(final int fd, final String interfaceName) throws ErrnoException
    {
        return ifreqInt(fd, interfaceName, SIOCGIFFLAGS, "SIOCGIFFLAGS") & 0xFFFF; // ifr_flags is a short
    }

    /**
     * The index of interface {@code interfaceName} in the network namespace of socket {@code fd}
     * ({@code ioctl(SIOCGIFINDEX)}, netdevice(7)).
     *
     * @throws ErrnoException with {@link LinuxConstants#ENODEV} when there is no such interface
     */
    public static int interfaceIndex(final int fd, final String interfaceName) throws ErrnoException
    {
        return ifreqInt(fd, interfaceName, SIOCGIFINDEX, "SIOCGIFINDEX");
    }

    private static int ifreqInt(final int fd, final String interfaceName, final long request, final String what)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final MemorySegment ifreq = arena.allocate(IFREQ_LENGTH);
            ifreq.copyFrom(arena.allocateFrom(interfaceName));
            final int result = (int)IOCTL.invokeExact(state, fd, request, ifreq);
            if (result < 0)
            {
                throw new ErrnoException("ioctl(" + what + ", " + interfaceName + ")", errno(state));
            }
            return ifreq.get(JAVA_INT, IFREQ_UNION_OFFSET);
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * The index of a network interface in the calling thread's network namespace.
     *
     * @throws ErrnoException with {@link LinuxConstants#ENODEV} when there is no such interface
     */
    public static int ifNameToIndex(final String interfaceName) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int index = (int)IF_NAMETOINDEX.invokeExact(state, arena.allocateFrom(interfaceName));
            if (index == 0)
            {
                final int errno = errno(state);
                throw new ErrnoException("if_nametoindex(" + interfaceName + ")", errno == 0 ? LinuxConstants.ENODEV : errno);
            }
            return index;
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code open(path, flags)}; the result is a file descriptor. */
    public static int open(final String path, final int flags) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int fd = (int)OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            check(fd, state, "open(" + path + ")");
            return fd;
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)}: maps what the descriptor
     * offers (a packet socket's ring).
     *
     * @return the mapping's address
     */
    public static long mapShared(final int fd, final long length, final String what) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final long address = (long)MMAP.invokeExact(state, 0L, length, PROT_READ_WRITE, MAP_SHARED, fd, 0L);
            if (address == -1L) // MAP_FAILED
            {
                throw new ErrnoException(what, errno(state));
            }
            return address;
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code mmap(address, length, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)}:
     * replaces what is mapped there by zeroed private memory in one step, so that a thread still
     * reading the range reads zeros instead of faulting, while what was mapped (a socket's ring)
     * is let go.
     */
    public static void replaceWithAnonymous(final long address, final long length, final String what) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final long mapped = (long)MMAP.invokeExact(state, address, length, PROT_READ_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS,
                -1, 0L);
            if (mapped == -1L)
            {
                throw new ErrnoException(what, errno(state));
            }
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code munmap(address, length)}; a failure (a bad address: a bug) is thrown. */
    public static void unmap(final long address, final long length) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            check((int)MUNMAP.invokeExact(state, address, length), state, "munmap");
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** Moves the calling thread (only) into the namespace that {@code fd} refers to. */
    public static void setns(final int fd, final int namespaceType, final String what) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)SETNS.invokeExact(state, fd, namespaceType);
            check(result, state, what);
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code sched_getaffinity(0, ...)}: the calling thread's CPU mask into {@code mask} (a
     * {@code cpu_set_t}, one bit per CPU, little-endian words).
     */
    public static void getAffinity(final MemorySegment mask) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)SCHED_GETAFFINITY.invokeExact(state, 0, mask.byteSize(), mask);
            check(result, state, "sched_getaffinity");
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code sched_setaffinity(0, ...)}: binds the calling thread (only) to the CPUs in {@code mask}. */
    public static void setAffinity(final MemorySegment mask) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)SCHED_SETAFFINITY.invokeExact(state, 0, mask.byteSize(), mask);
            check(result, state, "sched_setaffinity");
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code setpriority(PRIO_PROCESS, tid, nice)}: on Linux a thread id names that one thread. Any
     * process may raise its own threads' nice value (lower their priority); lowering it needs
     * {@code CAP_SYS_NICE}.
     */
    public static void setThreadNice(final int tid, final int nice) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)SETPRIORITY.invokeExact(state, 0 /* PRIO_PROCESS */, tid, nice);
            check(result, state, "setpriority(PRIO_PROCESS, " + tid + ", " + nice + ")");
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** Atomically makes {@code newFd} refer to what {@code oldFd} refers to (closing what it referred to). */
    public static void dup3(final int oldFd, final int newFd, final int flags) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)DUP3.invokeExact(state, oldFd, newFd, flags);
            check(result, state, "dup3(" + oldFd + ", " + newFd + ")");
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** @return the two connected descriptors */
    public static int[] socketpair(final int domain, final int type, final int protocol) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final MemorySegment fds = arena.allocate(JAVA_INT, 2);
            final int result = (int)SOCKETPAIR.invokeExact(state, domain, type, protocol, fds);
            check(result, state, "socketpair");
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    public static void shutdown(final int fd, final int how) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_STATE);
            final int result = (int)SHUTDOWN.invokeExact(state, fd, how);
            check(result, state, "shutdown(" + fd + ")");
        }
        catch (final ErrnoException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    // ================================================================================================
    // Data-path calls: no allocation, no exception, -1 on failure
    // ================================================================================================

    /** {@code send(fd, address, length, flags)}: the bytes sent, or -1. */
    public static long send(final int fd, final long address, final long length, final int flags)
    {
        try
        {
            return (long)SEND.invokeExact(fd, address, length, flags);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code sendmsg(fd, msghdr, flags)}: the bytes sent, or -1. */
    public static long sendmsg(final int fd, final long msghdrAddress, final int flags)
    {
        try
        {
            return (long)SENDMSG.invokeExact(fd, msghdrAddress, flags);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code sendto(fd, address, length, flags, destination, destinationLength)}: the bytes sent, or -1. */
    public static long sendto(
        final int fd, final long address, final long length, final int flags,
        final long destinationAddress, final int destinationLength)
    {
        try
        {
            return (long)SENDTO.invokeExact(fd, address, length, flags, destinationAddress, destinationLength);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code recvfrom(fd, address, length, flags, source, sourceLengthPointer)}: the bytes received
     * (the real packet length when {@code flags} has MSG_TRUNC), or -1. Source arguments may be 0.
     */
    public static long recvfrom(
        final int fd, final long address, final long length, final int flags,
        final long sourceAddress, final long sourceLengthAddress)
    {
        try
        {
            return (long)RECVFROM.invokeExact(fd, address, length, flags, sourceAddress, sourceLengthAddress);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code recvmsg(fd, msghdr, flags)}: the bytes received, or -1. */
    public static long recvmsg(final int fd, final long msghdrAddress, final int flags)
    {
        try
        {
            return (long)RECVMSG.invokeExact(fd, msghdrAddress, flags);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code recvmmsg(fd, mmsghdrs, count, flags, NULL)}: the number of datagrams received (each
     * entry's {@code msg_len} and {@code msg_hdr.msg_namelen}/{@code msg_flags} filled in), or -1.
     */
    public static int recvmmsg(final int fd, final long mmsghdrsAddress, final int count, final int flags)
    {
        try
        {
            return (int)RECVMMSG.invokeExact(fd, mmsghdrsAddress, count, flags, 0L);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code sendmmsg(fd, mmsghdrs, count, flags)}: the number of messages sent (each entry's
     * {@code msg_len} filled in), or -1 when the first one failed.
     */
    public static int sendmmsg(final int fd, final long mmsghdrsAddress, final int count, final int flags)
    {
        try
        {
            return (int)SENDMMSG.invokeExact(fd, mmsghdrsAddress, count, flags);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code getsockopt(fd, level, option, value, length)} into memory the caller set up (the
     * {@code socklen_t} at {@code lengthAddress} holds the room on entry, the length written on
     * return): 0, or -1 on error. Allocates nothing, unlike the setup call of the same name.
     */
    public static int getsockopt(final int fd, final int level, final int option, final long valueAddress,
        final long lengthAddress)
    {
        try
        {
            return (int)GETSOCKOPT_DATA_PATH.invokeExact(fd, level, option, valueAddress, lengthAddress);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code poll(fds, count, timeoutMillis)}: the number of ready descriptors, 0 on timeout, -1 on error (EINTR included). */
    public static int poll(final long pollfdsAddress, final long count, final int timeoutMillis)
    {
        try
        {
            return (int)POLL.invokeExact(pollfdsAddress, count, timeoutMillis);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * Calls every data-path function often enough, with a descriptor of -1 (each fails at once with
     * {@code EBADF}, touching nothing), that the JDK has customised its method handle before any
     * forwarding thread calls it; call once at start, before the pipelines run.
     *
     * <p>Why: a method handle invoked from code that is not (yet) compiled with the handle as a
     * constant counts its invocations and, at the 128th, builds a customised form of itself
     * ({@code MethodHandle.customize}: a few objects, once). A call made every 500 ms on each
     * pipeline (the socket-queue drop reading, {@code getsockopt}) reaches that count minutes after
     * start, on a forwarding thread: a one-time allocation there, which ForwardingAllocationTest's
     * JFR recording caught. Made here, it happens on the starting thread instead.
     */
    public static void prepareDataPathCalls()
    {
        for (int i = 0; i < DATA_PATH_CUSTOMIZE_CALLS; i++)
        {
            send(-1, 0, 0, 0);
            sendmsg(-1, 0, 0);
            sendto(-1, 0, 0, 0, 0, 0);
            recvfrom(-1, 0, 0, 0, 0, 0);
            recvmsg(-1, 0, 0);
            recvmmsg(-1, 0, 0, 0);
            sendmmsg(-1, 0, 0, 0);
            getsockopt(-1, 0, 0, 0, 0);
            poll(0, 0, 0);
        }
    }

    // ================================================================================================

    /**
     * strerror-style text for an errno value: {@code "Operation not permitted (EPERM)"}.
     * Uses glibc's thread-safe {@code strerrordesc_np}/{@code strerrorname_np} when present.
     */
    public static String describeErrno(final int errno)
    {
        final String description = cString(STRERRORDESC_NP.or(() -> STRERROR), errno);
        final String name = cString(STRERRORNAME_NP, errno);
        final StringBuilder text = new StringBuilder(description != null ? description : "Unknown error");
        text.append(" (").append(name != null ? name : "errno " + errno).append(')');
        return text.toString();
    }

    private static String cString(final Optional<MethodHandle> function, final int errno)
    {
        if (function.isEmpty())
        {
            return null;
        }
        try
        {
            final MemorySegment pointer = (MemorySegment)function.get().invokeExact(errno);
            return MemorySegment.NULL.equals(pointer) ? null : pointer.reinterpret(1024).getString(0);
        }
        catch (final Throwable t)
        {
            return null;
        }
    }

    private static void check(final int result, final MemorySegment state, final String what) throws ErrnoException
    {
        if (result < 0)
        {
            throw new ErrnoException(what, errno(state));
        }
    }

    private static int errno(final MemorySegment state)
    {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }

    private static MethodHandle setupCall(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor, CAPTURE_ERRNO);
    }

    private static MethodHandle dataPathCall(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor);
    }

    private static Optional<MethodHandle> optionalCall(final String name, final FunctionDescriptor descriptor)
    {
        return LIBC.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor));
    }

    private static RuntimeException unexpected(final Throwable t)
    {
        // invokeExact declares Throwable; a downcall itself never throws, so this is a bug (a
        // signature mismatch) and must not be mistaken for an I/O error.
        if (t instanceof RuntimeException runtime)
        {
            return runtime;
        }
        if (t instanceof Error error)
        {
            throw error;
        }
        return new IllegalStateException("native call failed unexpectedly", t);
    }
}
