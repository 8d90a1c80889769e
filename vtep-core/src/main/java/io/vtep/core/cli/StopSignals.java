package io.vtep.core.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

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

    /**
     * The JVM runs each handler on a thread of its own: never a data-path thread.
     *
     * @return false when SIGHUP was ignored when the process started (under {@code nohup}, say):
     *     the JVM then leaves it ignored, and only {@code vtep reload} or the API can reload
     */
    static boolean onReload(final Runnable action)
    {
        return Signal.handle(new Signal("HUP"), signal -> action.run()) != SignalHandler.SIG_IGN;
    }
}
