package io.heavykv.tensor;

/**
 * Element types the engine can hold weights in. The ids are GGML's, so GGUF files map onto them directly;
 * quantized types store {@code blockSize} elements in {@code bytesPerBlock} bytes.
 */
public enum TensorType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q8_0(8, 32, 34);

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
