package io.vtep.core.config;

/**
 * A configuration that vtep refuses, with the key path where the problem is
 * (for example {@code ports[0].vlans.10}) and what is wrong there.
 */
public final class ConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String problem;

    public ConfigException(final String path, final String problem)
    {
        super(path.isEmpty() ? problem : path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** Key path of the offending value; empty for the document as a whole. */
    public String path()
    {
        return path;
    }

    public String problem()
    {
        return problem;
    }
}
