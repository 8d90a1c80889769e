package io.vtep.it;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/**
 * A container the tests drive with bash command lines, with I/O and interruption turned into
 * unchecked exceptions so that a test reads as a list of commands.
 *
 * @param <SELF> the concrete container, as {@link GenericContainer} wants it.
 */
abstract class BashContainer<SELF extends BashContainer<SELF>> extends GenericContainer<SELF>
{
    BashContainer(final String image)
    {
        super(image);
    }

    /** Runs {@code bash -c} in the container and returns its exit code and output, whatever they are. */
    final Container.ExecResult exec(final String bash)
    {
        try
        {
            return execInContainer("/bin/bash", "-c", bash);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
