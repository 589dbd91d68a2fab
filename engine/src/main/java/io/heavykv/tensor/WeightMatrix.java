package io.heavykv.tensor;

/**
 * A read-only weight matrix of {@code rows x cols} values, row-major, in some {@link TensorType}.
 * Implementations read their (usually memory-mapped) storage directly: a quantized matrix is never
 * expanded as a whole, only block by block inside the kernels. {@link #dot} and {@link #matmul} first round
 * their input as llama.cpp's CPU backend does for the weight type (fp16 for F16, 8-bit blocks for Q8_0, Q4_x and
 * Q5_x), so that logits follow the reference engine's.
 */
public interface WeightMatrix {
    TensorType type();

    int rows();

    int cols();

    /** Bytes of storage this matrix reads per full pass (what a decode step streams from memory). */
    long byteSize();

    /** Dot product of row {@code row} with {@code x[xOffset .. xOffset + cols)}. */
    float dot(int row, float[] x, int xOffset);

    /**
     * {@code out[b * rows + r] = row r . x[b * cols ..]} for every {@code b < batch}, on all cores.
     * With {@code batch > 1} each weight row is read once for the whole batch (prefill is matrix-matrix).
     */
    void matmul(float[] x, float[] out, int batch);

    /** Writes row {@code row} as floats into {@code out[outOffset ..]} (embedding look-up). */
    void copyRow(int row, float[] out, int outOffset);
}
