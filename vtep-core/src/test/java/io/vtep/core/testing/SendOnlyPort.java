package io.vtep.core.testing;

import io.vtep.core.port.AccessPort;
import io.vtep.core.port.FrameBatch;

/**
 * An access port that never receives: what the pipelines deliver to it is up to the subclass's
 * {@link #send}. The stand-in of a test that only looks at one direction.
 */
public abstract class SendOnlyPort implements AccessPort
{
    private final String name;

    protected SendOnlyPort(final String name)
    {
        this.name = name;
    }

    @Override
    public final String name()
    {
        return name;
    }

    @Override
    public final int receive(final FrameBatch batch, final int timeoutMillis)
    {
        batch.clear();
        return 0;
    }

    @Override
    public void close()
    {
    }
}
