package io.vtep.core.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The libpcap calls of the {@code pcap} port driver, bound with the Foreign Function and Memory
 * API like {@link Libc}: no JNA, no reflection, no per-packet allocation.
 *
 * <p>Two kinds of call, as in {@link Libc}. <b>Setup</b> ({@link #open}, {@link #selectableFd},
 * {@link #close}) allocates freely and throws {@link IOException} with libpcap's own message.
 * <b>Data path</b> ({@link #nextPacket}, {@link #sendPacket}) takes every pointer as a {@code long}
 * address and returns libpcap's result as is.
 *
 * <p>The library is looked up once, under the sonames Debian and upstream use; when it is absent
 * every call fails with an {@link IOException} that says which package to install, and the
 * {@code af-packet} driver (the default) does not need it.
 */
@SuppressWarnings("restricted") // binding native functions is what this class is for
public final class Libpcap
{
    /** {@code PCAP_ERRBUF_SIZE}. */
    public static final int ERRBUF_SIZE = 256;
    /** {@code pcap_next_ex}: a packet was read. */
    public static final int NEXT_PACKET = 1;
    /** {@code struct pcap_pkthdr} on LP64: {@code struct timeval} (16 bytes), then {@code caplen}, {@code len}. */
    public static final int PKTHDR_CAPLEN_OFFSET = 16;
    public static final int PKTHDR_LEN_OFFSET = 20;
    /** {@code struct pcap_stat}: {@code u_int ps_recv, ps_drop, ps_ifdrop}. */
    public static final int STAT_LENGTH = 12;
    public static final int STAT_DROP_OFFSET = 4;

    /** {@code PCAP_D_IN}. */
    private static final int DIRECTION_IN = 1;
    /** {@code PCAP_ERROR_NO_SUCH_DEVICE}, {@code PCAP_ERROR_PERM_DENIED}: pcap_activate's errors that have no text. */
    private static final int ERROR_NO_SUCH_DEVICE = -5;
    private static final int ERROR_PERM_DENIED = -8;
    /** Sonames tried in order: Debian's historical name first, then the upstream ones. */
    private static final List<String> SONAMES = List.of("libpcap.so.0.8", "libpcap.so.1", "libpcap.so");

    private static final String MISSING;
    private static final MethodHandle CREATE;
    private static final MethodHandle SET_SNAPLEN;
    private static final MethodHandle SET_PROMISC;
    private static final MethodHandle SET_BUFFER_SIZE;
    private static final MethodHandle SET_TIMEOUT;
    private static final MethodHandle SET_IMMEDIATE_MODE; // null before libpcap 1.5
    private static final MethodHandle ACTIVATE;
    private static final MethodHandle SET_DIRECTION;
    private static final MethodHandle SET_NONBLOCK;
    private static final MethodHandle GET_SELECTABLE_FD;
    private static final MethodHandle GET_ERR;
    private static final MethodHandle STATUS_TO_STR;
    private static final MethodHandle CLOSE;
    private static final MethodHandle NEXT_EX;
    private static final MethodHandle SEND_PACKET;
    private static final MethodHandle STATS;

    static
    {
        final Optional<SymbolLookup> library = load();
        final Linker linker = Linker.nativeLinker();
        final SymbolLookup lookup = library.orElse(name -> Optional.empty());
        CREATE = bind(linker, lookup, "pcap_create", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        SET_SNAPLEN = bind(linker, lookup, "pcap_set_snaplen", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        SET_PROMISC = bind(linker, lookup, "pcap_set_promisc", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        SET_BUFFER_SIZE = bind(linker, lookup, "pcap_set_buffer_size", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        SET_TIMEOUT = bind(linker, lookup, "pcap_set_timeout", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        SET_IMMEDIATE_MODE = bind(linker, lookup, "pcap_set_immediate_mode", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        ACTIVATE = bind(linker, lookup, "pcap_activate", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        SET_DIRECTION = bind(linker, lookup, "pcap_setdirection", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        SET_NONBLOCK = bind(linker, lookup, "pcap_setnonblock", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS));
        GET_SELECTABLE_FD = bind(linker, lookup, "pcap_get_selectable_fd", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        GET_ERR = bind(linker, lookup, "pcap_geterr", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
        STATUS_TO_STR = bind(linker, lookup, "pcap_statustostr", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        CLOSE = bind(linker, lookup, "pcap_close", FunctionDescriptor.ofVoid(JAVA_LONG));
        NEXT_EX = bind(linker, lookup, "pcap_next_ex", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        SEND_PACKET = bind(linker, lookup, "pcap_sendpacket", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        STATS = bind(linker, lookup, "pcap_stats", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
        final boolean complete = library.isPresent() && Arrays.asList(CREATE, SET_SNAPLEN, SET_PROMISC, SET_BUFFER_SIZE,
            SET_TIMEOUT, ACTIVATE, SET_DIRECTION, SET_NONBLOCK, GET_SELECTABLE_FD, GET_ERR, STATUS_TO_STR, CLOSE, NEXT_EX,
            SEND_PACKET, STATS).stream().allMatch(Objects::nonNull);
        MISSING = complete ? null : library.isEmpty() ?
            "libpcap not found (tried " + SONAMES + "); install libpcap0.8" :
            "libpcap is older than 1.0 (a function is missing); install libpcap0.8 1.0 or later";
    }

    /** An activated handle: libpcap's {@code pcap_t *} and whether it delivers each packet at once. */
    public record Handle(long address, boolean immediateMode)
    {
    }

    private Libpcap()
    {
    }

    /**
     * Creates, configures and activates a live capture on {@code device}, captures direction IN
     * only and switches it to non-blocking: the port waits with {@code poll} on
     * {@link #selectableFd} so that each receive can take its own timeout.
     *
     * @param snaplen      bytes captured per packet; libpcap sizes every ring slot by it.
     * @param bufferBytes  the kernel ring.
     * @param timeoutMillis only matters without immediate mode: bounds a TPACKET_V3 block's wait.
     * @throws IOException with libpcap's message; "permission" in it when CAP_NET_RAW is missing.
     */
    public static Handle open(final String device, final int snaplen, final int bufferBytes, final int timeoutMillis)
        throws IOException
    {
        requirePresent();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errbuf = arena.allocate(ERRBUF_SIZE);
            final MemorySegment pcap = (MemorySegment)CREATE.invokeExact(arena.allocateFrom(device), errbuf);
            if (pcap.address() == 0)
            {
                throw new IOException(errbuf.getString(0));
            }
            final long p = pcap.address();
            try
            {
                check(p, (int)SET_SNAPLEN.invokeExact(p, snaplen), "pcap_set_snaplen");
                check(p, (int)SET_PROMISC.invokeExact(p, 1), "pcap_set_promisc");
                check(p, (int)SET_BUFFER_SIZE.invokeExact(p, bufferBytes), "pcap_set_buffer_size");
                check(p, (int)SET_TIMEOUT.invokeExact(p, timeoutMillis), "pcap_set_timeout");
                // Immediate mode: a TPACKET_V2 ring that wakes the reader per packet, not per block.
                final boolean immediate = null != SET_IMMEDIATE_MODE && (int)SET_IMMEDIATE_MODE.invokeExact(p, 1) == 0;
                final int activated = (int)ACTIVATE.invokeExact(p);
                if (activated < 0)
                {
                    throw new IOException(activationError(p, activated));
                }
                check(p, (int)SET_DIRECTION.invokeExact(p, DIRECTION_IN), "pcap_setdirection");
                if ((int)SET_NONBLOCK.invokeExact(p, 1, errbuf) < 0)
                {
                    throw new IOException("pcap_setnonblock: " + errbuf.getString(0));
                }
                return new Handle(p, immediate);
            }
            catch (final Throwable ex)
            {
                CLOSE.invokeExact(p);
                throw ex;
            }
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * @return the handle's packet socket, which {@code poll} reports readable when a packet waits;
     *     it belongs to the handle and is closed by {@link #close}.
     */
    public static int selectableFd(final Handle handle) throws IOException
    {
        try
        {
            final int fd = (int)GET_SELECTABLE_FD.invokeExact(handle.address());
            if (fd < 0)
            {
                throw new IOException("pcap handle has no selectable descriptor");
            }
            return fd;
        }
        catch (final IOException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code void pcap_close(pcap_t *)}: the caller guarantees no other call is in progress on it. */
    public static void close(final Handle handle)
    {
        try
        {
            CLOSE.invokeExact(handle.address());
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code int pcap_next_ex(pcap_t *, struct pcap_pkthdr **, const u_char **)}: data path.
     *
     * @param headerPointerAddress where libpcap writes the address of the packet header.
     * @param dataPointerAddress   where libpcap writes the address of the packet bytes; both stay
     *                             valid until the next call on this handle.
     * @return {@link #NEXT_PACKET}, 0 when nothing waits (non-blocking), negative on error.
     */
    public static int nextPacket(final long pcap, final long headerPointerAddress, final long dataPointerAddress)
    {
        try
        {
            return (int)NEXT_EX.invokeExact(pcap, headerPointerAddress, dataPointerAddress);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /** {@code int pcap_sendpacket(pcap_t *, const u_char *, int)}: data path; 0 when sent. */
    public static int sendPacket(final long pcap, final long frameAddress, final int length)
    {
        try
        {
            return (int)SEND_PACKET.invokeExact(pcap, frameAddress, length);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * {@code int pcap_stats(pcap_t *, struct pcap_stat *)}: no allocation. On Linux {@code ps_drop}
     * is the packet socket's {@code tp_drops} (frames the kernel dropped at the full ring), which
     * libpcap sums over its calls: a running total, 32 bits wide.
     *
     * @param statAddress {@value #STAT_LENGTH} bytes for the answer.
     * @return 0, or -1 on error.
     */
    public static int stats(final long pcap, final long statAddress)
    {
        try
        {
            return (int)STATS.invokeExact(pcap, statAddress);
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    private static void check(final long pcap, final int status, final String call) throws Throwable
    {
        if (status != 0)
        {
            throw new IOException(call + ": " + statusText(status));
        }
    }

    /** libpcap leaves the buffer empty for the errors its status text explains alone. */
    private static String activationError(final long pcap, final int status) throws Throwable
    {
        final String text = status == ERROR_PERM_DENIED || status == ERROR_NO_SUCH_DEVICE ? "" : errorText(pcap);
        return text.isEmpty() ? statusText(status) : statusText(status) + ": " + text;
    }

    private static String errorText(final long pcap) throws Throwable
    {
        final MemorySegment text = (MemorySegment)GET_ERR.invokeExact(pcap);
        return text.address() == 0 ? "" : text.reinterpret(ERRBUF_SIZE).getString(0);
    }

    private static String statusText(final int status) throws Throwable
    {
        final MemorySegment text = (MemorySegment)STATUS_TO_STR.invokeExact(status);
        return text.address() == 0 ? "status " + status : text.reinterpret(ERRBUF_SIZE).getString(0);
    }

    private static void requirePresent() throws IOException
    {
        if (null != MISSING)
        {
            throw new IOException(MISSING);
        }
    }

    private static Optional<SymbolLookup> load()
    {
        for (final String soname : SONAMES)
        {
            try
            {
                return Optional.of(SymbolLookup.libraryLookup(soname, Arena.global()));
            }
            catch (final IllegalArgumentException notFound)
            {
                // try the next name
            }
        }
        return Optional.empty();
    }

    private static MethodHandle bind(
        final Linker linker, final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor)
    {
        return lookup.find(name).map(symbol -> linker.downcallHandle(symbol, descriptor)).orElse(null);
    }

    private static RuntimeException unexpected(final Throwable t)
    {
        // invokeExact declares Throwable; a downcall itself never throws, so this is a bug.
        if (t instanceof Error error)
        {
            throw error;
        }
        return t instanceof RuntimeException runtime ? runtime : new IllegalStateException("libpcap call failed", t);
    }
}
