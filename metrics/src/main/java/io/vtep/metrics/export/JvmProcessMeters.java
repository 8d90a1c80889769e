package io.vtep.metrics.export;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * JVM and process metrics from Micrometer's binders: memory (heap/non-heap pools, buffer pools),
 * GC, threads, class loading, JVM info, CPU, uptime and file descriptors.
 *
 * <p>Two deliberate changes. First, every series here exists from the first scrape and none appears later.
 * Micrometer's GC binder registers its {@code jvm.gc.pause} and {@code jvm.gc.concurrent.phase.time}
 * timers on the first GC of each (collector, action, cause), i.e. whenever the JVM feels like it;
 * they are denied, and {@code jvm_gc_collection_seconds_count/_sum{gc}} (the name the Prometheus Java
 * client uses) reports each collector's count and accumulated time from its MXBean instead, one
 * series pair per collector, registered at bind time. The rest of the GC binder (allocation,
 * promotion, live and max data size) stays. Second, names pass {@code promtool check metrics}:
 * {@code process_cpu_time_ns_total} (an abbreviated, non-base unit) becomes the conventional
 * {@code process_cpu_seconds_total}, and {@code system_cpu_count} (a "_count" suffix on a gauge)
 * becomes {@code system_cpus}.
 *
 * <p>Bind before anything else is registered: the filter must be in place first.
 */
public final class JvmProcessMeters implements MeterBinder, AutoCloseable
{
    /** Lazily registered by {@link JvmGcMetrics}; see the class comment. */
    static final Set<String> LAZY_GC_METERS = Set.of("jvm.gc.pause", "jvm.gc.concurrent.phase.time");
    /** Replaced by {@link #PROCESS_CPU} (in seconds). */
    static final String PROCESS_CPU_TIME_NANOS = "process.cpu.time";
    public static final String GC_COLLECTION = "jvm.gc.collection";
    public static final String PROCESS_CPU = "process.cpu";
    /** {@code system.cpu.count} renamed. */
    public static final String SYSTEM_CPUS = "system.cpus";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    // Held: Micrometer keeps only a weak reference to a function meter's object.
    private final List<GarbageCollectorMXBean> collectors = new ArrayList<>();
    private OperatingSystemMXBean operatingSystem;

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        registry.config()
            .meterFilter(MeterFilter.deny(id -> LAZY_GC_METERS.contains(id.getName()) ||
                id.getName().equals(PROCESS_CPU_TIME_NANOS)))
            .meterFilter(new MeterFilter()
            {
                @Override
                public Meter.Id map(final Meter.Id id)
                {
                    return id.getName().equals("system.cpu.count") ? id.withName(SYSTEM_CPUS) : id;
                }
            });

        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans())
        {
            collectors.add(collector);
            // Count and time are -1 when the collector does not know them.
            FunctionTimer.builder(GC_COLLECTION, collector,
                c -> Math.max(0, c.getCollectionCount()), c -> Math.max(0, c.getCollectionTime()), TimeUnit.MILLISECONDS)
                .tags("gc", collector.getName())
                .description("Collections by this garbage collector and the accumulated time they took")
                .register(registry);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof final OperatingSystemMXBean os &&
            os.getProcessCpuTime() >= 0)
        {
            operatingSystem = os;
            FunctionCounter.builder(PROCESS_CPU, os, o -> o.getProcessCpuTime() / 1e9)
                .baseUnit("seconds")
                .description("CPU time used by the process")
                .register(registry);
        }
    }

    /** Stops listening for GC notifications. */
    @Override
    public void close()
    {
        for (final AutoCloseable closeable : closeables)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignored)
            {
                // Nothing to do: the registry is going away.
            }
        }
        closeables.clear();
    }
}
