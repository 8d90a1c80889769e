package io.vtep.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings the data-path benchmarks share, written once: average nanoseconds per
 * operation, 3 warm-up and 5 measured one-second iterations in one fork that gets the JVM flags
 * Agrona and FFM need, and per-thread state. JMH's class-level annotations are
 * {@code @Inherited}, so a benchmark that extends this class runs with exactly these settings
 * (compare {@code META-INF/BenchmarkList} in the built jar); one that needs others overrides
 * them on the class or the method.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Frames.ADD_OPENS, Frames.NATIVE_ACCESS})
@State(Scope.Thread)
public abstract class AverageTimeBenchmark
{
}
