package io.vtep.topology;

import java.util.Map;

import io.vtep.core.api.JsonReader;

/**
 * Reads the tools' machine output ({@code iperf3 -J}, {@code bridge -j}, {@code ip -j}) and the
 * appliance's HTTP API with the appliance's own {@link JsonReader}, plus path helpers for tests.
 *
 * <p>Objects become {@code Map<String, Object>} (insertion-ordered), arrays {@code List<Object>},
 * numbers {@code Long} when integral and {@code Double} otherwise, plus String, Boolean and null.
 */
public final class Json
{

    private Json()
    {
    }

    /**
     * Parses one JSON value; trailing whitespace is allowed, anything else is an error.
     *
     * @throws IllegalArgumentException saying where the text is not JSON.
     */
    public static Object parse(String text)
    {
        return JsonReader.parse(text);
    }

    /** The object at {@code path} (keys into nested objects) of a parsed document, or null. */
    @SuppressWarnings("unchecked")
    public static Object at(Object root, String... path)
    {
        Object node = root;
        for (String key : path)
        {
            if (!(node instanceof Map<?, ?> map))
            {
                return null;
            }
            node = ((Map<String, Object>)map).get(key);
        }
        return node;
    }

    /** The number at {@code path} as a double, or {@code NaN} when absent. */
    public static double number(Object root, String... path)
    {
        return at(root, path) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The string at {@code path}, or null. */
    public static String string(Object root, String... path)
    {
        Object v = at(root, path);
        return v == null ? null : v.toString();
    }
}
