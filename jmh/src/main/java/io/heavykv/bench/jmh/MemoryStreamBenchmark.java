package io.heavykv.bench.jmh;

import io.heavykv.tensor.Parallel;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** The ceiling for the matvec kernels: a plain parallel vectorised read of the same working set. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MemoryStreamBenchmark {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    /** Bytes per parallel chunk: about the size of one weight matrix. */
    static final int CHUNK = 4 << 20;

    private Arena arena;
    private MemorySegment data;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        data = arena.allocate(MatvecBenchmark.WORKING_SET, 64);
        data.fill((byte) 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long stream() {
        LongAdder total = new LongAdder();
        int chunks = (int) (data.byteSize() / CHUNK);
        Parallel.forRange(0, chunks, (from, to) -> {
            LongVector acc = LongVector.zero(SPECIES);
            int step = SPECIES.vectorByteSize();
            for (long o = (long) from * CHUNK, end = (long) to * CHUNK; o < end; o += step) {
                acc = acc.add(LongVector.fromMemorySegment(SPECIES, data, o, ByteOrder.LITTLE_ENDIAN));
            }
            total.add(acc.reduceLanes(VectorOperators.ADD));
        });
        return total.sum();
    }
}
