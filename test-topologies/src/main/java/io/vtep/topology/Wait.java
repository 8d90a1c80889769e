package io.vtep.topology;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls for a condition instead of sleeping: tests wait for what they need (an FDB entry, a
 * counter, a BGP session) and fail with a message naming it when it does not come.
 *
 * <p>Polling starts at 10 ms and backs off to 200 ms. An exception thrown by the probe counts as
 * "not yet" (a device may not exist yet); the last one is reported if the wait times out.
 */
public final class Wait
{

    private static final long FIRST_DELAY_MS = 10;
    private static final long MAX_DELAY_MS = 200;

    private Wait()
    {
    }

    /** Waits until {@code condition} returns true; fails with {@code what} after {@code timeout}. */
    public static void until(Duration timeout, Supplier<Boolean> condition, String what)
    {
        until(timeout, condition, Boolean.TRUE::equals, what);
    }

    /**
     * Polls {@code probe} until its value satisfies {@code done}, and returns that value. On
     * timeout fails with {@code what} and the last value seen, so the message shows how far off
     * it was ("waiting for FDB entry for 02:..:01; last value: [...]").
     */
    public static <T> T until(Duration timeout, Supplier<T> probe, Predicate<? super T> done, String what)
    {
        Objects.requireNonNull(probe);
        long deadline = System.nanoTime() + timeout.toNanos();
        long delay = FIRST_DELAY_MS;
        T last = null;
        RuntimeException lastError = null;
        int attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                last = probe.get();
                lastError = null;
                if (done.test(last))
                {
                    return last;
                }
            }
            catch (RuntimeException e)
            {
                lastError = e;
            }
            long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMs <= 0)
            {
                break;
            }
            sleep(Math.min(delay, remainingMs));
            delay = Math.min(delay * 2, MAX_DELAY_MS);
        }
        String message = "timed out after " + timeout.toMillis() + " ms (" + attempts + " checks) waiting for: " + what + (lastError != null ?
            "\n  last check threw: " + lastError : "\n  last value: " + last);
        AssertionError error = new AssertionError(message, lastError);
        return fail(error);
    }

    private static <T> T fail(AssertionError error)
    {
        // Through JUnit so that an opentest4j-aware runner reports it like any assertion.
        return org.junit.jupiter.api.Assertions.fail(error.getMessage(), error.getCause());
    }

    private static void sleep(long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            fail(new AssertionError("interrupted while waiting"));
        }
    }
}
