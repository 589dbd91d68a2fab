package io.heavykv.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernels against fixtures decoded by an independent implementation: the numpy dequantizers of the
 * {@code gguf} package (see engine/src/test/python/quant_reference.py, which writes them). The blocks carry
 * extreme scales: fp16 max and min normals, subnormals, signed zeros, negative values, infinities and NaNs.
 */
class QuantReferenceTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"BF16", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void dequantizationMatchesGgufBitForBitAndTheDotMatchesItsWeights(TensorType type) throws IOException {
        Fixture f = Fixture.load(type);
        WeightMatrix m = WeightMatrices.of(type, f.blocks, f.rows, f.cols);

        float[] row = new float[f.cols];
        for (int r = 0; r < f.rows; r++) {
            m.copyRow(r, row, 0);
            for (int c = 0; c < f.cols; c++) {
                float expected = f.values[r * f.cols + c];
                // NaN payloads are no part of the formats, and CPUs differ in the NaN that inf * 0 makes.
                if (Float.isNaN(expected)) {
                    assertThat(row[c]).as("%s row %d col %d", type, r, c).isNaN();
                } else {
                    // Raw bits, so +0 and -0 count as different.
                    assertThat(Float.floatToRawIntBits(row[c])).as("%s row %d col %d: %s vs gguf %s", type, r, c, row[c], expected)
                            .isEqualTo(Float.floatToRawIntBits(expected));
                }
            }
        }

        SplittableRandom random = new SplittableRandom(type.ordinal());
        int batch = 3;
        float[] x = new float[batch * f.cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 2 - 1);
        float[] batched = new float[batch * f.rows];
        m.matmul(x, batched, batch);
        for (int r = 0; r < f.rows; r++) {
            for (int b = 0; b < batch; b++) {
                String what = type + " row " + r + " batch " + b;
                assertDotMatches(what, m.dot(r, x, b * f.cols), f, type, r, x, b, false);
                assertDotMatches(what + " (batched)", batched[b * f.rows + r], f, type, r, x, b, true);
            }
        }
    }

    /**
     * Against the exact (double) dot of gguf's weights with the input as the type's kernel takes it (rounded to
     * BF16 for BF16; for the 32-element types, llama.cpp's integer form of weights and input quants, from the
     * raw blocks): any order of float sums of n products is off by at most about n * 2^-24 * sum |w x| (the
     * classic worst-case bound, to first order); kernels that factor a block scale out of the sum round once
     * more per block, and a few extra units of n cover that. A wrong weight, scale or bit order moves the dot by
     * far more. Subnormal products add at most one subnormal ulp each. A row holding an infinite or NaN weight
     * must give a non-finite dot, whatever the order of the sum. Batched, the affine types meet d * sum(q), d
     * rounded to fp16, where the integer kernel takes s, the fp16 rounding of the unrounded d times sum(q): two
     * half fp16 ulps (2^-10 relative) of each offset term more.
     */
    private static void assertDotMatches(String what, float actual, Fixture f, TensorType type, int r, float[] x, int b,
                                         boolean batched) {
        double exact = 0;
        double magnitude = 0;
        double offsets = 0;
        if (WeightMatrixKernelTest.integerInput(type)) {
            ScalarReference.Dot dot = ScalarReference.q8Dot(f.blocks, type, r, f.cols, ReferenceActivations.of(x, 0, b + 1, f.cols), b);
            exact = dot.value();
            magnitude = dot.magnitude();
            offsets = dot.offsets();
        } else {
            float[] in = WeightMatrixKernelTest.roundedInput(type, x);
            for (int c = 0; c < f.cols; c++) {
                double p = (double) f.values[r * f.cols + c] * in[b * f.cols + c];
                exact += p;
                magnitude += Math.abs(p);
            }
        }
        if (!Double.isFinite(exact)) {
            assertThat(Float.isFinite(actual)).as("%s: %s where the exact dot is %s", what, actual, exact).isFalse();
            return;
        }
        double tolerance = (f.cols + 4) * 0x1p-24 * magnitude + f.cols * (double) Float.MIN_VALUE
                + (batched ? 0x1p-10 * offsets : 0);
        assertThat((double) actual).as(what).isCloseTo(exact, org.assertj.core.data.Offset.offset(tolerance));
    }

    private record Fixture(int rows, int cols, MemorySegment blocks, float[] values) {
        static Fixture load(TensorType type) throws IOException {
            byte[] bytes;
            try (InputStream in = QuantReferenceTest.class.getResourceAsStream("/quant/" + type + ".bin")) {
                assertThat(in).as("fixture for " + type).isNotNull();
                bytes = in.readAllBytes();
            }
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.getInt()).as("GGML type id in the fixture").isEqualTo(type.ggmlId());
            int rows = b.getInt();
            int cols = b.getInt();
            int blockBytes = Math.toIntExact(WeightMatrices.byteSize(type, rows, cols));
            assertThat(bytes.length).isEqualTo(12 + blockBytes + 4 * rows * cols);
            // Native memory: the vector kernels read heap segments only when they wrap a byte[] at offset 0.
            MemorySegment blocks = Arena.ofAuto().allocate(blockBytes, 64);
            MemorySegment.copy(bytes, 12, blocks, ValueLayout.JAVA_BYTE, 0, blockBytes);
            float[] values = new float[rows * cols];
            b.position(12 + blockBytes);
            b.asFloatBuffer().get(values);
            return new Fixture(rows, cols, blocks, values);
        }
    }
}
