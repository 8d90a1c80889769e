package io.vtep.core.api;

import java.util.List;
import java.util.Objects;

/**
 * What a reload did.
 *
 * @param changes     one line per applied change ("vni 200 added", ...), empty when the file did
 *                    not change anything or when it was refused.
 * @param errorOrNull why the file was refused (with the key path), or null when it was applied.
 */
public record ReloadOutcome(List<String> changes, String errorOrNull)
{
    public ReloadOutcome
    {
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
    }

    public static ReloadOutcome applied(final List<String> changes)
    {
        return new ReloadOutcome(changes, null);
    }

    public static ReloadOutcome refused(final String error)
    {
        return new ReloadOutcome(List.of(), Objects.requireNonNull(error, "error"));
    }

    public boolean isApplied()
    {
        return null == errorOrNull;
    }
}
