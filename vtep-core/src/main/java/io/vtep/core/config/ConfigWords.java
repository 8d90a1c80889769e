package io.vtep.core.config;

import java.util.Locale;

/**
 * The words by which configuration keys name an enum's constants ({@code driver: af-packet},
 * {@code accept-from: members}, {@code lacp.mode: active}): the constant's name in lower case with
 * "-" for "_", so that the word and the constant cannot drift apart.
 */
final class ConfigWords
{
    private ConfigWords()
    {
    }

    static String of(final Enum<?> constant)
    {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return the constant of {@code type} that {@code word} names, or null */
    static <E extends Enum<E>> E parse(final Class<E> type, final String word)
    {
        for (final E constant : type.getEnumConstants())
        {
            if (of(constant).equals(word))
            {
                return constant;
            }
        }
        return null;
    }
}
