package io.heavykv.bench.jmh;

import io.heavykv.tensor.Quantizer;
import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.WeightMatrices;
import io.heavykv.tensor.WeightMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Decode-style matrix-vector products at TinyLlama's shapes. Each operation uses the next of enough
 * copies of the matrix to exceed the last-level cache, as a decode step streams every layer's weights from
 * memory; {@link MatvecReport} turns the time per operation into GB/s of weights read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecBenchmark {
    /** Bytes of weights cycled through: beyond the 480 MiB L3 of the benchmark machine. */
    static final long WORKING_SET = 1L << 30;

    @Param({"Q8_0", "F32", "F16", "Q4_0", "BF16", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    @Param({"2048x2048", "5632x2048", "2048x5632"})
    public String shape;

    private Arena arena;
    private WeightMatrix[] copies;
    private float[] x;
    private float[] out;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
        int cols = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
        TensorType t = TensorType.valueOf(type);
        SplittableRandom random = new SplittableRandom(1);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * 0.02);
        long bytes = WeightMatrices.byteSize(t, rows, cols);
        MemorySegment encoded = Arena.ofAuto().allocate(bytes);
        long rowBytes = bytes / rows;
        for (int r = 0; r < rows; r++) Quantizer.encode(t, values, r * cols, cols, encoded, r * rowBytes);
        arena = Arena.ofShared();
        copies = new WeightMatrix[(int) Math.max(2, WORKING_SET / bytes)];
        for (int i = 0; i < copies.length; i++) {
            MemorySegment s = arena.allocate(encoded.byteSize(), 64);
            s.copyFrom(encoded);
            copies[i] = WeightMatrices.of(t, s, rows, cols);
        }
        x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) random.nextGaussian();
        out = new float[rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] matvec() {
        WeightMatrix m = copies[next];
        next = next + 1 == copies.length ? 0 : next + 1;
        m.matmul(x, out, 1);
        return out;
    }

    /** Bytes one {@link #matvec()} reads from the weights. */
    static long bytesPerOp(String type, String shape) {
        int rows = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
        int cols = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
        return WeightMatrices.byteSize(TensorType.valueOf(type), rows, cols);
    }
}
