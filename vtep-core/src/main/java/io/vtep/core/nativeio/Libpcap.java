package io.vtep.core.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * The one libpcap function Pcap4J does not expose: {@code int pcap_get_selectable_fd(pcap_t *)}.
 *
 * <p>Why: Pcap4J's read timeout is fixed when the handle is opened, while
 * {@code AccessPort.receive} takes a timeout per call and must return at once after draining what
 * is queued. So the pcap port runs its handle in non-blocking mode and waits with {@code poll} on
 * the handle's descriptor (see {@code PcapPort}).
 */
@SuppressWarnings("restricted") // binding native functions is what this class is for
public final class Libpcap
{
    /** Sonames tried in order: Debian's historical name first, then the upstream ones. */
    private static final List<String> SONAMES = List.of("libpcap.so.0.8", "libpcap.so.1", "libpcap.so");

    private static volatile MethodHandle getSelectableFd;

    private Libpcap()
    {
    }

    /**
     * @param pcapHandleAddress the {@code pcap_t *} of an activated handle
     * @return its descriptor, which {@code poll} reports readable when a packet is waiting
     */
    public static int selectableFd(final long pcapHandleAddress) throws IOException
    {
        final int fd;
        try
        {
            fd = (int)handle().invokeExact(pcapHandleAddress);
        }
        catch (final IOException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IOException("pcap_get_selectable_fd failed", t);
        }
        if (fd < 0)
        {
            throw new IOException("pcap handle has no selectable descriptor");
        }
        return fd;
    }

    private static MethodHandle handle() throws IOException
    {
        MethodHandle h = getSelectableFd;
        if (h == null)
        {
            for (final String soname : SONAMES)
            {
                try
                {
                    final SymbolLookup lookup = SymbolLookup.libraryLookup(soname, Arena.global());
                    final var symbol = lookup.find("pcap_get_selectable_fd");
                    if (symbol.isPresent())
                    {
                        // pcap_t * as JAVA_LONG: the address comes from Pcap4J's JNA Pointer
                        h = Linker.nativeLinker().downcallHandle(symbol.get(), FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
                        getSelectableFd = h;
                        return h;
                    }
                }
                catch (final IllegalArgumentException notFound)
                {
                    // try the next name
                }
            }
            throw new IOException("libpcap not found (tried " + SONAMES + "); install libpcap0.8");
        }
        return h;
    }
}
