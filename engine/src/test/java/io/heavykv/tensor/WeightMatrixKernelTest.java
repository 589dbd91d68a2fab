package io.heavykv.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every kernel against a plain scalar reference that decodes the GGML blocks byte by byte. */
class WeightMatrixKernelTest {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {{1, 32}, {3, 64}, {17, 96}, {64, 256}, {130, 512}, {40, 2048}};
        for (TensorType type : TensorType.values()) {
            for (int[] s : shapes) {
                if (s[1] % type.blockSize() != 0) continue;
                for (int batch : new int[] {1, 2, 5, 9}) cases.add(Arguments.of(type, s[0], s[1], batch));
            }
        }
        // Column counts that are no multiple of the vector length exercise the float tails.
        for (TensorType type : new TensorType[] {TensorType.F32, TensorType.F16, TensorType.BF16}) {
            for (int batch : new int[] {1, 3}) {
                cases.add(Arguments.of(type, 7, 172, batch));
                cases.add(Arguments.of(type, 5, 3, batch));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}x{2} batch {3}")
    @MethodSource("cases")
    void matmulDotAndCopyRowMatchTheScalarReference(TensorType type, int rows, int cols, int batch) {
        SplittableRandom random = new SplittableRandom(rows * 31L + cols + type.ordinal());
        WeightMatrix m = WeightMatrices.quantize(type, randoms(random, rows * cols), rows, cols);
        assertMatchesReference(m, m, ScalarReference.decode(m, type, rows, cols), random, batch);
    }

    /** The repacked (decode) layout against the scalar decoding of the file layout it was copied from. */
    @ParameterizedTest(name = "{0} {1}x{2} batch {3}")
    @MethodSource("cases")
    void repackedMatrixMatchesTheScalarReferenceOfItsSource(TensorType type, int rows, int cols, int batch) {
        SplittableRandom random = new SplittableRandom(rows * 37L + cols + type.ordinal());
        WeightMatrix source = WeightMatrices.quantize(type, randoms(random, rows * cols), rows, cols);
        WeightMatrix m = WeightMatrices.repacked(source);
        assertThat(m != source).isEqualTo(WeightMatrices.repackable(type, rows, cols));
        assertThat(m.type()).isEqualTo(type);
        assertThat(m.byteSize()).isEqualTo(source.byteSize());
        assertMatchesReference(m, source, ScalarReference.decode(source, type, rows, cols), random, batch);
        // Same arithmetic in the same order as the file-layout kernel: repacking must not move a logit's last bit.
        float[] x = randoms(random, cols);
        for (int r = 0; r < rows; r++) assertThat(m.dot(r, x, 0)).isEqualTo(source.dot(r, x, 0));
    }

    /**
     * matmul and dot against the scalar reference of what llama.cpp's CPU backend computes for the type: the
     * 32-element types dot int8-quantized inputs in integers ({@link ReferenceActivations}), F16 and BF16 round the
     * input to their own format, the K-quants to 256-value int8 blocks with a float scale, F32 multiplies exact floats. {@code source} is the file-layout matrix
     * {@code m} holds the weights of (itself, or what a repacked copy was made from).
     */
    private static void assertMatchesReference(WeightMatrix m, WeightMatrix source, float[] decoded, SplittableRandom random, int batch) {
        int rows = m.rows();
        int cols = m.cols();
        TensorType type = m.type();
        float[] x = randoms(random, batch * cols);
        float[] rounded = roundedInput(type, x);
        ReferenceActivations q8 = integerInput(type) ? ReferenceActivations.of(x, 0, batch, cols) : null;
        MemorySegment blocks = ((MappedMatrix) source).segment;

        float[] out = new float[batch * rows];
        m.matmul(x, out, batch);

        float[] row = new float[cols + 3];
        for (int r = 0; r < rows; r++) {
            m.copyRow(r, row, 3);
            for (int c = 0; c < cols; c++) assertThat(row[3 + c]).isEqualTo(decoded[r * cols + c]);
            for (int b = 0; b < batch; b++) {
                double expected = 0;
                double magnitude = 0;
                double offsets = 0;
                if (q8 != null) {
                    ScalarReference.Dot dot = ScalarReference.q8Dot(blocks, type, r, cols, q8, b);
                    expected = dot.value();
                    magnitude = dot.magnitude();
                    offsets = dot.offsets();
                } else {
                    for (int c = 0; c < cols; c++) {
                        expected += (double) decoded[r * cols + c] * rounded[b * cols + c];
                        magnitude += Math.abs((double) decoded[r * cols + c] * rounded[b * cols + c]);
                    }
                }
                float tolerance = (float) (1e-5 * magnitude + 1e-6);
                assertThat(m.dot(r, x, b * cols)).as("dot row %d batch %d", r, b).isCloseTo((float) expected, within(tolerance));
                // Batched, the affine types meet d * sum(q), d rounded to fp16, where the integer kernel takes s, the
                // fp16 rounding of the unrounded d times sum(q): two half fp16 ulps (2^-10 relative) of each offset term.
                float batchedTolerance = (float) (tolerance + (batch > 1 ? 0x1p-10 * offsets : 0));
                assertThat(out[b * rows + r]).as("matmul row %d batch %d", r, b).isCloseTo((float) expected, within(batchedTolerance));
            }
        }
    }

    static boolean integerInput(TensorType type) {
        return switch (type) {
            case Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 -> true;
            default -> false;
        };
    }

    /**
     * x as a float-input kernel of {@code type} sees it: F16 and BF16 weights meet inputs rounded (to even) to their
     * format, K-quants their Q8_K values.
     */
    static float[] roundedInput(TensorType type, float[] x) {
        float[] r = x.clone();
        if (type.blockSize() == 256) return q8kValues(r);
        for (int i = 0; i < r.length; i++) {
            if (type == TensorType.F16) {
                r[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
            } else if (type == TensorType.BF16) {
                // Keep the upper 16 bits, rounded to nearest even by the discarded half (no NaNs among these inputs).
                int bits = Float.floatToRawIntBits(x[i]);
                int low = bits & 0xffff;
                int up = bits & 0xffff0000;
                if (low > 0x8000 || (low == 0x8000 && (up & 0x10000) != 0)) up += 0x10000;
                r[i] = Float.intBitsToFloat(up);
            }
        }
        return r;
    }

    /**
     * llama.cpp's Q8_K rounding, element by element: per 256 values the signed value of largest magnitude (the first
     * one) sets iscale = -127 / max, q = nearest(iscale * x) by the 1.5 * 2^23 float trick, capped at 127; the value
     * is q * (1 / iscale).
     */
    static float[] q8kValues(float[] x) {
        for (int b = 0; b < x.length; b += 256) {
            int at = b;
            for (int i = b; i < b + 256; i++) if (Math.abs(x[i]) > Math.abs(x[at])) at = i;
            if (x[at] == 0) continue;
            float iscale = -127f / x[at];
            for (int i = b; i < b + 256; i++) {
                int q = Float.floatToRawIntBits(iscale * x[i] + 12582912f) - 0x4B400000;
                x[i] = Math.min(127, q) * (1f / iscale);
            }
        }
        return x;
    }

    static float[] randoms(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextDouble() * 2 - 1);
        return v;
    }
}
