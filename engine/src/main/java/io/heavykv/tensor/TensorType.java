package io.heavykv.tensor;

/**
 * Element types the engine can hold weights in. The ids are GGML's, so GGUF files map onto them directly;
 * quantized types store {@code blockSize} elements in {@code bytesPerBlock} bytes (the K-quants in 256-element
 * super-blocks).
 */
public enum TensorType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    BF16(30, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210);

    private final int ggmlId;
    private final int blockSize;
    private final int bytesPerBlock;

    TensorType(int ggmlId, int blockSize, int bytesPerBlock) {
        this.ggmlId = ggmlId;
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
    }

    public int ggmlId() { return ggmlId; }
    public int blockSize() { return blockSize; }
    public int bytesPerBlock() { return bytesPerBlock; }

    /** Bytes needed for {@code elements} values; the count must be a whole number of blocks. */
    public long byteSize(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(this + " needs a multiple of " + blockSize + " elements, got " + elements);
        }
        return elements / blockSize * bytesPerBlock;
    }

    public static TensorType fromGgmlId(int id) {
        for (TensorType t : values()) {
            if (t.ggmlId == id) return t;
        }
        throw new UnsupportedTensorTypeException(id);
    }
}
