package io.vtep.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A value of the parsed YAML document together with its key path, so that every problem is
 * reported where it is ({@code vnis[1].mac-limit}), not as a stack trace.
 */
final class ConfigNode
{
    private final String path;
    private final Object value;

    ConfigNode(final String path, final Object value)
    {
        this.path = path;
        this.value = value;
    }

    String path()
    {
        return path;
    }

    Object value()
    {
        return value;
    }

    boolean isMissing()
    {
        return value == null;
    }

    ConfigException problem(final String problem)
    {
        return new ConfigException(path, problem);
    }

    private String child(final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** This node as a mapping whose keys must all be among {@code allowed}. */
    Map<String, ConfigNode> mapping(final Set<String> allowed) throws ConfigException
    {
        final Map<String, ConfigNode> children = new LinkedHashMap<>();
        for (final Map.Entry<?, ?> entry : asMap("expected a mapping of keys to values").entrySet())
        {
            final String key = String.valueOf(entry.getKey());
            if (!allowed.contains(key))
            {
                throw new ConfigException(child(key), "unknown key; expected one of " + String.join(", ", sorted(allowed)));
            }
            children.put(key, new ConfigNode(child(key), entry.getValue()));
        }
        return children;
    }

    /** This node as a mapping with free-form keys (such as VLAN ids). */
    Map<Object, ConfigNode> freeMapping() throws ConfigException
    {
        final Map<Object, ConfigNode> children = new LinkedHashMap<>();
        for (final Map.Entry<?, ?> entry : asMap("expected a mapping").entrySet())
        {
            children.put(entry.getKey(), new ConfigNode(child(String.valueOf(entry.getKey())), entry.getValue()));
        }
        return children;
    }

    /** This node's mapping; empty when the key is there without a value. @param expected what the error says was expected */
    private Map<?, ?> asMap(final String expected) throws ConfigException
    {
        if (value == null)
        {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map))
        {
            throw problem(expected + ", found " + describe(value));
        }
        return map;
    }

    List<ConfigNode> list() throws ConfigException
    {
        if (value == null)
        {
            return List.of();
        }
        if (!(value instanceof List<?> list))
        {
            throw problem("expected a list, found " + describe(value));
        }
        final List<ConfigNode> items = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            items.add(new ConfigNode(path + "[" + i + "]", list.get(i)));
        }
        return items;
    }

    String text() throws ConfigException
    {
        if (value instanceof String || value instanceof Number)
        {
            return String.valueOf(value);
        }
        throw problem("expected a text value, found " + describe(value));
    }

    String requiredText() throws ConfigException
    {
        if (value == null)
        {
            throw problem("is required");
        }
        return text();
    }

    long integer(final long min, final long max) throws ConfigException
    {
        if (value == null)
        {
            throw problem("is required");
        }
        if (!(value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger))
        {
            throw problem("expected a whole number, found " + describe(value));
        }
        final java.math.BigInteger number = new java.math.BigInteger(value.toString());
        if (number.compareTo(java.math.BigInteger.valueOf(min)) < 0 || number.compareTo(java.math.BigInteger.valueOf(max)) > 0)
        {
            throw problem(value + " is out of range " + min + ".." + max);
        }
        return number.longValue();
    }

    long integer(final long defaultValue, final long min, final long max) throws ConfigException
    {
        return value == null ? defaultValue : integer(min, max);
    }

    boolean bool(final boolean defaultValue) throws ConfigException
    {
        if (value == null)
        {
            return defaultValue;
        }
        if (value instanceof Boolean b)
        {
            return b;
        }
        throw problem("expected true or false, found " + describe(value));
    }

    static String describe(final Object value)
    {
        if (value == null)
        {
            return "nothing";
        }
        if (value instanceof Map)
        {
            return "a mapping";
        }
        if (value instanceof List)
        {
            return "a list";
        }
        if (value instanceof String s)
        {
            return "\"" + s + "\"";
        }
        return value.toString();
    }

    private static List<String> sorted(final Set<String> keys)
    {
        final List<String> list = new ArrayList<>(keys);
        list.sort(null);
        return list;
    }
}
