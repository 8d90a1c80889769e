package io.vtep.core.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The JIT compiler threads of this very JVM: found by name, set to a nice value and read back. The
 * test puts them back at nice 0 afterwards (lowering a nice value needs CAP_SYS_NICE: the suite runs
 * as root), so the rest of the suite compiles as before.
 */
class CompilerThreadsTest
{
    @Test
    void theCompilerThreadsAreFoundAndTheirNiceValueSet() throws Exception
    {
        final List<Integer> compilers = CompilerThreads.ids();
        assertFalse(compilers.isEmpty(), "HotSpot runs at least one compiler thread");
        final int self = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        assertEquals(0, CompilerThreads.niceOf(self), "this test thread, untouched");
        try
        {
            assertEquals(compilers.size(), CompilerThreads.lowerPriority(7));
            for (final int tid : compilers)
            {
                assertEquals(7, CompilerThreads.niceOf(tid), "compiler thread " + tid);
            }
            assertEquals(0, CompilerThreads.niceOf(self), "only the compiler threads change");
        }
        finally
        {
            CompilerThreads.lowerPriority(0);
        }
        for (final int tid : compilers)
        {
            assertEquals(0, CompilerThreads.niceOf(tid), "restored: compiler thread " + tid);
        }
    }
}
