package io.vtep.core.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkNamespaceTest
{
    private final TestNamespaces namespaces = new TestNamespaces();
    private String ns1;
    private String ns2;

    @BeforeEach
    void setUp() throws IOException
    {
        ns1 = namespaces.create(false);
        ns2 = namespaces.create(false);
        namespaces.veth(ns1, "vtnio0", ns2, "vtnio1");
    }

    @AfterEach
    void tearDown() throws IOException
    {
        namespaces.close();
    }

    @Test
    void callRunsInsideTheNamespaceAndLeavesTheCallerWhereItWas() throws Exception
    {
        final int index = NetworkNamespace.call(ns1, () -> Libc.ifNameToIndex("vtnio0"));
        assertTrue(index > 0);

        final ErrnoException outside = assertThrows(ErrnoException.class, () -> Libc.ifNameToIndex("vtnio0"));
        assertEquals(LinuxConstants.ENODEV, outside.errno());
        assertEquals("if_nametoindex(vtnio0): No such device (ENODEV)", outside.getMessage());

        assertThrows(ErrnoException.class, () -> NetworkNamespace.call(ns2, () -> Libc.ifNameToIndex("vtnio0")));
    }

    @Test
    void threadFactoryThreadsRunInTheNamespace() throws Exception
    {
        final CompletableFuture<Integer> index = new CompletableFuture<>();
        final Thread thread = NetworkNamespace.threadFactory(ns2, "test-netns").newThread(() ->
        {
            try
            {
                index.complete(Libc.ifNameToIndex("vtnio1"));
            }
            catch (final ErrnoException ex)
            {
                index.completeExceptionally(ex);
            }
        });
        thread.start();
        assertTrue(index.get(10, TimeUnit.SECONDS) > 0);
        thread.join();
    }

    @Test
    void aMissingNamespaceIsAClearError()
    {
        final IOException error = assertThrows(IOException.class,
            () -> NetworkNamespace.call(ns1 + "-missing", () -> null));
        assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
    }

    @Test
    void errnoTextIsStrerrorStyle()
    {
        assertEquals("Operation not permitted (EPERM)", Libc.describeErrno(LinuxConstants.EPERM));
        assertEquals("Message too long (EMSGSIZE)", Libc.describeErrno(LinuxConstants.EMSGSIZE));
    }

    @Test
    void aClosedSocketHandleKeepsItsNumberUntilUnreachable() throws Exception
    {
        final SocketHandle handle = new SocketHandle(
            Libc.socket(LinuxConstants.AF_INET, 2 /* SOCK_DGRAM */ | LinuxConstants.SOCK_CLOEXEC, 0, "socket"));
        handle.close();
        assertTrue(handle.isClosed());

        // the number now refers to the dead socket: calls on it fail harmlessly...
        final long scratch = NativeScratch.current().controlAddress();
        assertEquals(-1, Libc.send(handle.fd(), scratch, 1, LinuxConstants.MSG_NOSIGNAL));
        assertEquals(0, Libc.recvfrom(handle.fd(), scratch, 1, LinuxConstants.MSG_DONTWAIT, 0, 0));
        // ...and is not handed out again while the handle is reachable
        final int next = Libc.socket(LinuxConstants.AF_INET, 2 | LinuxConstants.SOCK_CLOEXEC, 0, "socket");
        try
        {
            assertNotEquals(handle.fd(), next);
        }
        finally
        {
            Libc.close(next);
        }
    }
}
