package io.vtep.metrics.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

class JvmProcessMetersTest
{
    private static volatile Object sink;

    private static Set<String> series(final PrometheusMeterRegistry registry)
    {
        final Set<String> series = new TreeSet<>();
        registry.scrape().lines().filter(line -> !line.startsWith("#"))
            .forEach(line -> series.add(line.substring(0, line.lastIndexOf(' '))));
        return series;
    }

    @Test
    void jvmAndProcessSeriesAreAllThereFromTheStartAndStaySo()
    {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (JvmProcessMeters jvm = new JvmProcessMeters())
        {
            jvm.bindTo(registry);
            final Set<String> before = series(registry);
            final String text = registry.scrape();
            for (final String name : new String[] {"jvm_memory_used_bytes{", "jvm_gc_collection_seconds_count{gc=",
                "jvm_gc_collection_seconds_sum{gc=", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
                "jvm_info{", "process_cpu_seconds_total ", "process_cpu_usage ", "process_uptime_seconds ",
                "process_files_open_files ", "system_cpus "})
            {
                assertTrue(text.contains("\n" + name), name);
            }
            // promtool check metrics would flag these two; they are renamed.
            assertFalse(text.contains("process_cpu_time_ns"));
            assertFalse(text.contains("system_cpu_count"));

            System.gc();
            for (int i = 0; i < 10_000; i++)
            {
                sink = new byte[16 * 1024];
            }
            System.gc();
            assertEquals(before, series(registry), "no GC timer series appears after the first collections");
        }
        finally
        {
            registry.close();
        }
    }
}
