package io.heavykv.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
        assertMatchesReference(m, ScalarReference.decode(m, type, rows, cols), random, batch);
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
        assertMatchesReference(m, ScalarReference.decode(source, type, rows, cols), random, batch);
        // Same arithmetic in the same order as the file-layout kernel: repacking must not move a logit's last bit.
        float[] x = randoms(random, cols);
        for (int r = 0; r < rows; r++) assertThat(m.dot(r, x, 0)).isEqualTo(source.dot(r, x, 0));
    }

    private static void assertMatchesReference(WeightMatrix m, float[] decoded, SplittableRandom random, int batch) {
        int rows = m.rows();
        int cols = m.cols();
        float[] x = randoms(random, batch * cols);

        float[] out = new float[batch * rows];
        m.matmul(x, out, batch);

        float[] row = new float[cols + 3];
        for (int r = 0; r < rows; r++) {
            m.copyRow(r, row, 3);
            for (int c = 0; c < cols; c++) assertThat(row[3 + c]).isEqualTo(decoded[r * cols + c]);
            for (int b = 0; b < batch; b++) {
                double expected = 0;
                double magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    expected += (double) decoded[r * cols + c] * x[b * cols + c];
                    magnitude += Math.abs((double) decoded[r * cols + c] * x[b * cols + c]);
                }
                float tolerance = (float) (1e-5 * magnitude + 1e-6);
                assertThat(out[b * rows + r]).as("row %d batch %d", r, b).isCloseTo((float) expected, within(tolerance));
                assertThat(m.dot(r, x, b * cols)).isCloseTo((float) expected, within(tolerance));
            }
        }
    }

    static float[] randoms(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextDouble() * 2 - 1);
        return v;
    }
}
