package io.vtep.core.capture;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The captures' series (README "Metrics reference"), read from the {@link CaptureRegistry} when scraped. */
public final class CaptureMeters
{
    public static final String DROPS = "vtep.capture.drops";
    public static final String FRAMES = "vtep.capture.frames";
    public static final String ACTIVE = "vtep.captures.active";

    private CaptureMeters()
    {
    }

    public static void bind(final MeterRegistry registry, final CaptureRegistry captures)
    {
        FunctionCounter.builder(DROPS, captures, CaptureRegistry::drops)
            .description("Frames captures did not take because their ring was full (the reader was behind); forwarding is unaffected")
            .register(registry);
        FunctionCounter.builder(FRAMES, captures, CaptureRegistry::frames)
            .description("Frames captures wrote to their pcapng streams")
            .register(registry);
        Gauge.builder(ACTIVE, captures, CaptureRegistry::active)
            .description("Captures running (GET /api/v1/capture, vtep capture)")
            .register(registry);
    }
}
