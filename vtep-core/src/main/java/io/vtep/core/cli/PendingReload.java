package io.vtep.core.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A SIGHUP that may arrive before the appliance exists: it is kept and carried out once, as soon
 * as the appliance has started; later ones reload at once.
 *
 * <p>No lock: the signal thread marks the request and then looks for the appliance; the starting
 * thread publishes the appliance and then takes the mark. Whichever runs second sees the other's
 * write, so a request is neither lost nor carried out twice.
 */
final class PendingReload
{
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicReference<Runnable> reload = new AtomicReference<>();

    /** From the signal handler's thread. */
    void request()
    {
        requested.set(true);
        if (reload.get() != null)
        {
            runIfRequested();
        }
    }

    /** Once, when the appliance has started: from now on a request runs {@code action}. */
    void startedWith(final Runnable action)
    {
        reload.set(action);
        runIfRequested();
    }

    private void runIfRequested()
    {
        if (requested.getAndSet(false))
        {
            reload.get().run();
        }
    }
}
