package io.vtep.bench;

/**
 * One figure of one VTEP A in one round: a value (base units), or why there is none.
 *
 * @param value         the measured value; NaN when failed or not applicable
 * @param failure       why the measurement failed ("iperf3 failed: unable to connect ..."), or null
 * @param notApplicable why this figure does not exist for this VTEP (the kernel's CPU time), or null
 * @param detail        what else was seen (counts, loss, retransmits), for the JSON; may be empty
 */
record Sample(double value, String failure, String notApplicable, String detail)
{
    static Sample of(final double value, final String detail)
    {
        return new Sample(value, null, null, detail);
    }

    static Sample failed(final String reason)
    {
        return failed(reason, "");
    }

    static Sample failed(final String reason, final String detail)
    {
        return new Sample(Double.NaN, reason == null || reason.isBlank() ? "unknown failure" : reason, null, detail);
    }

    static Sample notApplicable(final String why)
    {
        return new Sample(Double.NaN, null, why, "");
    }

    boolean ok()
    {
        return failure == null && notApplicable == null;
    }
}
