package io.vtep.core.api;

/**
 * Reads the configuration file again and applies what changed: the one operation behind
 * {@code POST /api/v1/reload}, {@code bin/vtep reload} and SIGHUP. Implemented by the appliance;
 * the API only calls it (on its own thread, never a data-path thread).
 */
@FunctionalInterface
public interface ReloadService
{
    /**
     * @return the changes applied, or the reason nothing was (the running configuration stays).
     */
    ReloadOutcome reload();
}
