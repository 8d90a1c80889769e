package io.vtep.topology;

import java.util.List;
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

    /**
     * The objects of a JSON array, as iproute2's {@code -j} prints one per entry ({@code ip -j neigh},
     * {@code bridge -j fdb}); empty for blank text, which those tools print when there is nothing.
     */
    public static List<Map<?, ?>> objects(String json)
    {
        if (json.isBlank() || !(parse(json) instanceof List<?> list))
        {
            return List.of();
        }
        return list.stream().filter(o -> o instanceof Map<?, ?>).<Map<?, ?>>map(o -> (Map<?, ?>)o).toList();
    }

    /** The strings of the array {@code key} of {@code object} (iproute2's "flags", "state"), empty when absent. */
    public static List<String> strings(Map<?, ?> object, String key)
    {
        return object.get(key) instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    /** The string at {@code path}, or null. */
    public static String string(Object root, String... path)
    {
        Object v = at(root, path);
        return v == null ? null : v.toString();
    }
}
