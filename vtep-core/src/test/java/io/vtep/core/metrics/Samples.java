package io.vtep.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The samples of a Prometheus text (or OpenMetrics) exposition, parsed just enough for assertions. */
final class Samples
{
    record Sample(String name, Map<String, String> labels, double value)
    {
    }

    private final List<Sample> samples = new ArrayList<>();
    /** Family name → type, from the {@code # TYPE} lines. */
    private final Map<String, String> types = new LinkedHashMap<>();

    private Samples()
    {
    }

    static Samples parse(final String exposition)
    {
        final Samples parsed = new Samples();
        for (final String line : exposition.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.split(" ");
                parsed.types.put(parts[2], parts[3]);
            }
            else if (!line.isBlank() && !line.startsWith("#"))
            {
                parsed.samples.add(sample(line));
            }
        }
        return parsed;
    }

    private static Sample sample(final String line)
    {
        final int brace = line.indexOf('{');
        final int space = line.indexOf(' ');
        final Map<String, String> labels = new TreeMap<>();
        final String name;
        final String rest;
        if (brace >= 0 && brace < space)
        {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}')
            {
                final int equals = line.indexOf('=', i);
                final String key = line.substring(i, equals);
                final StringBuilder value = new StringBuilder();
                int j = equals + 2; // after ="
                while (line.charAt(j) != '"')
                {
                    if (line.charAt(j) == '\\')
                    {
                        j++;
                    }
                    value.append(line.charAt(j++));
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',')
                {
                    i++;
                }
            }
            rest = line.substring(i + 1).trim();
        }
        else
        {
            name = line.substring(0, space);
            rest = line.substring(space + 1).trim();
        }
        return new Sample(name, labels, Double.parseDouble(rest.split(" ")[0]));
    }

    List<Sample> all()
    {
        return samples;
    }

    int size()
    {
        return samples.size();
    }

    Map<String, String> types()
    {
        return types;
    }

    /** Sample names (not family names): {@code vtep_vni_rx_bytes_total}, {@code jvm_gc_collection_seconds_count}. */
    Set<String> names()
    {
        final Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The label names of every sample of {@code name} (must be the same for all). */
    Set<String> labelNames(final String name)
    {
        final Set<Set<String>> sets = new java.util.HashSet<>();
        samples.stream().filter(s -> s.name().equals(name)).forEach(s -> sets.add(new TreeSet<>(s.labels().keySet())));
        if (sets.size() != 1)
        {
            throw new AssertionError(name + ": label sets " + sets);
        }
        return sets.iterator().next();
    }

    List<Sample> named(final String name)
    {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the one sample with this name and these labels (pairs: name, value, ...). */
    double value(final String name, final String... labels)
    {
        final Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2)
        {
            wanted.put(labels[i], labels[i + 1]);
        }
        final List<Sample> found = samples.stream()
            .filter(s -> s.name().equals(name) && Objects.equals(s.labels(), wanted)).toList();
        if (found.size() != 1)
        {
            throw new AssertionError("expected one sample " + name + wanted + ", found " + found.size());
        }
        return found.get(0).value();
    }
}
