package io.vtep.core.lacp;

import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The LACP series (README "Metrics reference"), per LACP port, read at scrape time. */
public final class LacpMeters
{
    public static final String PDUS = "vtep.lacp.pdus";
    public static final String DISTRIBUTING = "vtep.lacp.distributing";

    private LacpMeters()
    {
    }

    public static void bind(final MeterRegistry registry, final List<LacpPort> ports)
    {
        for (final LacpPort port : ports)
        {
            FunctionCounter.builder(PDUS, port, LacpPort::pdusReceived)
                .description("LACPDUs received and read (in) or sent (out) on an access port")
                .tag("port", port.name()).tag("direction", "in")
                .register(registry);
            FunctionCounter.builder(PDUS, port, LacpPort::pdusSent)
                .description("LACPDUs received and read (in) or sent (out) on an access port")
                .tag("port", port.name()).tag("direction", "out")
                .register(registry);
            Gauge.builder(DISTRIBUTING, port, p -> p.isDistributing() ? 1 : 0)
                .description("1 while LACP lets the access port forward (collecting and distributing), else 0")
                .tag("port", port.name())
                .register(registry);
        }
    }
}
