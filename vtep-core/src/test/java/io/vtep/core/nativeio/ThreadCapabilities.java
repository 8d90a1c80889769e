package io.vtep.core.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Drops a capability from the calling thread only (capabilities, like namespaces, are per Linux
 * task), so that a test running as root can see what an unprivileged process would see. Use it on
 * a thread that ends afterwards, e.g. inside {@link NetworkNamespace#call}.
 */
@SuppressWarnings("restricted")
public final class ThreadCapabilities
{
    /** {@code <linux/capability.h>} */
    public static final int CAP_NET_RAW = 13;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    private static final Linker LINKER = Linker.nativeLinker();
    /** {@code int capget(cap_user_header_t header, cap_user_data_t data)} */
    private static final MethodHandle CAPGET = LINKER.downcallHandle(
        LINKER.defaultLookup().find("capget").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** {@code int capset(cap_user_header_t header, const cap_user_data_t data)} */
    private static final MethodHandle CAPSET = LINKER.downcallHandle(
        LINKER.defaultLookup().find("capset").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private ThreadCapabilities()
    {
    }

    /** Removes {@code capability} (0..31) from the calling thread's effective set. */
    public static void dropEffective(final int capability)
    {
        try (Arena arena = Arena.ofConfined())
        {
            // struct __user_cap_header_struct { __u32 version; int pid; }, pid 0 = calling thread
            final MemorySegment header = arena.allocate(8);
            header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0);
            // two struct __user_cap_data_struct { __u32 effective, permitted, inheritable; }
            final MemorySegment data = arena.allocate(24);
            if ((int)CAPGET.invokeExact(header, data) != 0)
            {
                throw new IllegalStateException("capget failed");
            }
            data.set(JAVA_INT, 0, data.get(JAVA_INT, 0) & ~(1 << capability));
            if ((int)CAPSET.invokeExact(header, data) != 0)
            {
                throw new IllegalStateException("capset failed");
            }
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }
}
