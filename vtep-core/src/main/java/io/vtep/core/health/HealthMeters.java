package io.vtep.core.health;

import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vtep.core.port.PortLink;

/**
 * The health series (README "Metrics reference"): thread deaths and heartbeat ages per thread,
 * and per access port its interface's state, index and re-opens. Read at scrape time.
 */
public final class HealthMeters
{
    public static final String THREAD_DEATHS = "vtep.thread.deaths";
    public static final String THREAD_HEARTBEAT_AGE = "vtep.thread.heartbeat.age.seconds";
    public static final String PORT_STATE = "vtep.port.state";
    public static final String PORT_IFINDEX = "vtep.port.ifindex";
    public static final String PORT_REOPENS = "vtep.port.reopens";

    private HealthMeters()
    {
    }

    public static void bind(final MeterRegistry registry, final ThreadHealth health, final List<PortLink> links)
    {
        for (final Heartbeat heartbeat : health.heartbeats())
        {
            bindThread(registry, health, heartbeat);
        }
        for (final PortLink link : links)
        {
            bindPort(registry, link);
        }
    }

    /** One thread's series: at start, or when a reload adds a port with a thread of its own. */
    public static void bindThread(final MeterRegistry registry, final ThreadHealth health, final Heartbeat heartbeat)
    {
        final String thread = heartbeat.thread();
        FunctionCounter.builder(THREAD_DEATHS, health, h -> h.deaths(thread))
            .description("Threads that forward, learn or speak BGP ended by an exception or Error (readiness fails)")
            .tag("thread", thread)
            .register(registry);
        Gauge.builder(THREAD_HEARTBEAT_AGE, heartbeat, h -> h.ageNanos() / 1e9)
            .description("Seconds since the thread last went round its loop (it does at least every 0.5 s)")
            .tag("thread", thread)
            .register(registry);
    }

    /** One access port's series: at start, or when a reload adds the port. */
    public static void bindPort(final MeterRegistry registry, final PortLink link)
    {
        Gauge.builder(PORT_STATE, link, l -> l.state().gauge())
            .description("Access port's interface: 1 up, 0 down (admin or carrier), -1 absent (deleted or renamed)")
            .tag("port", link.name())
            .register(registry);
        Gauge.builder(PORT_IFINDEX, link, PortLink::interfaceIndex)
            .description("Index of the interface that has the port's name (0 when absent)")
            .tag("port", link.name())
            .register(registry);
        FunctionCounter.builder(PORT_REOPENS, link, PortLink::reopens)
            .description("Times the port's sockets were re-opened because its interface came back")
            .tag("port", link.name())
            .register(registry);
    }

    /** The series of {@link #bindPort} go with the port (a reload removed it). */
    public static void unbindPort(final MeterRegistry registry, final String port)
    {
        for (final String name : List.of(PORT_STATE, PORT_IFINDEX, PORT_REOPENS))
        {
            registry.find(name).tag("port", port).meters().forEach(registry::remove);
        }
    }

    /** The series of {@link #bindThread} go with the thread (its port was removed). */
    public static void unbindThread(final MeterRegistry registry, final String thread)
    {
        for (final String name : List.of(THREAD_DEATHS, THREAD_HEARTBEAT_AGE))
        {
            registry.find(name).tag("thread", thread).meters().forEach(registry::remove);
        }
    }
}
