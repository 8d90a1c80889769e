package io.vtep.core.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the appliance cleanly with exit code 0, as a container runtime and an
 * operator at a terminal expect (a JVM shutdown hook alone would exit with 128+signal). SIGHUP
 * reloads the configuration file, as for nginx, FRR's watchfrr and systemd's ExecReload.
 */
final class StopSignals
{
    private StopSignals()
    {
    }

    static void onTerminate(final Runnable action)
    {
        Signal.handle(new Signal("TERM"), signal -> action.run());
        Signal.handle(new Signal("INT"), signal -> action.run());
    }

    /** The JVM runs each handler on a thread of its own: never a data-path thread. */
    static void onReload(final Runnable action)
    {
        Signal.handle(new Signal("HUP"), signal -> action.run());
    }
}
