package io.vtep.core.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * Where a command writes and what it reads from its environment ({@value ChangeApiOptions#TOKEN_FILE_ENV},
 * {@code VTEP_CONFIG}): {@link System#out}, {@link System#err} and {@link System#getenv()} from
 * {@code bin/vtep}, buffers in tests.
 */
record CliContext(PrintStream out, PrintStream err, Map<String, String> env)
{
}
